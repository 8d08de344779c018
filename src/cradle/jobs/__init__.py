"""Background jobs: long work a person starts (a large import, a batch of FOI letters, a PDF)
runs as a task of Django's tasks framework, and a `Job` row says to them how far it has got.

- `kinds`    - the registry: each kind of job names its task, what its subject is and who may
               see it (the subject's own permission check), and how its result is shown.
- `actions`  - every write to a job (start, progress, success, failure, retry), audited.
- `running`  - what a task calls: `run_job(job_id, work)` marks the job running, gives the work
               a `Progress`, and records its result or its error in plain words.
- `views`    - a job's page (an accessible progress bar that refreshes with or without script),
               its status as JSON for the script, and the user's recent jobs.

A domain adds a kind of job with a `tasks.py` of its own (outcomes, foi, planning do); census
and survey invitations (issue 17) are meant to do the same. See ADR 0020.
"""
