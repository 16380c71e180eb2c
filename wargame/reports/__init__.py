"""The after-action report and improvement plan: the hotwash, the evaluators' observations,
the participants' feedback, and the report in every format."""
