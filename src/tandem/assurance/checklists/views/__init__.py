"""The checklist processes' pages, under /assurance/checklists/ (namespace "assurance:checklists"):
the index and declarations (`index`), then one module per process: `audit` (2008), `welsh`
(with commissioning), `west_midlands` (with local partnerships), `self_assessment`. What they
share is `pages`."""
