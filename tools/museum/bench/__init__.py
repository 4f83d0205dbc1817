"""`museum bench`: the exhibits measured from inside the Compose network, against a baseline.

One module a concern: `plan` (what to measure and how), `stage` (the bench's own Compose
project and its containers), `measure` (the rounds, through wrk and the scripts beside it),
`stats` (wrk's output, medians, ranks), `results` (the records written and read back),
`legacy` (results files of the first format), `report` (the table), `charts` (the only user
of matplotlib) and `techempower` (the cross-check with TechEmpower's figures).
"""
