-- Lists a marketer can work with (issue 16): the suppression list pages newest first,
-- and the email list filtered by status (and its total) walks that status's emails
-- only, from an index that also carries created_at, so a count reads no email row; so
-- does a journey step's.
CREATE INDEX suppressions_by_created ON suppressions (created_at, email);
CREATE INDEX emails_by_status ON emails (status, created_at, email_id);
CREATE INDEX emails_by_step ON emails (step, created_at, email_id);
