"""Report models (export files, policy targets) arrive with the reports issue."""
