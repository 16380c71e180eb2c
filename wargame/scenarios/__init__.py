"""The scenario catalogue: scenario files, their validation and versions, the MSEL, the
library pages."""
