"""Small helpers with no knowledge of the apps: settings from the environment, logging, the
embedded broker, HTMX answers, Markdown, nations' names, QR codes, sending a task by name."""
