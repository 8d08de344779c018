"""Bulk import of outcomes records from CSV and XLSX, for teams moving from spreadsheets.

The pipeline, one module per step:

1. `columns`   - the templates: every column, whether it is required, what it accepts and an
                 example, generated from the vocabulary and the instrument registry (pure).
2. `parsing`   - a CSV file or an XLSX workbook into sheets of rows, with the header check
                 (missing and unknown columns named), within the file's limits (`limits`:
                 row cap, time budget, archive checks) (pure).
3. `checks`    - every row checked with the same rules as the single-record actions, every
                 problem kept (row, column, what to fix); rows become normalised records with
                 the NHS number already replaced by its pseudonym. Referrals and measures
                 there, episodes and contacts in `episode_checks`; `rows` checks one row.
4. `plan`      - the checks that need the database or the other sheets (does the case exist?
                 is the NHS number another case's? which referral does an episode follow, which
                 episode holds a contact, and is the contact within it?) and the counts the
                 preview shows; rows Cradle already holds, by each kind's natural key
                 (`held`), are marked to be skipped.
5. `writing`   - all-or-nothing: one transaction, `bulk_create` (cases, referrals, episodes,
                 then contacts and measures), audit entries per record.
6. `staging`   - between the dry run and the confirmation the checked records (pseudonymised,
                 never the uploaded file) wait on the server, keyed by a random token; a
                 `StagedImport` row binds it to the user and team with their SHA-256, and is
                 claimed by the confirmation that writes it, so it is written once.
"""
