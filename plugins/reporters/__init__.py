"""Output formats: text, JSON, GitHub, SARIF, JUnit, GitLab, JSON Lines, and side reports."""
