"""The comparison and check results as documents: compare.json, report.md, a
self-contained report.html with its charts, and the terminal tables. Rendering
only; the workflows that produce the results live in groundlink.app."""
