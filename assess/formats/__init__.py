"""Formats: JSON case files, workbooks, batch tables, claims, atomic writes.  Reading and writing only,
never orchestrating an assessment.  Imports the report and law layers and below."""
