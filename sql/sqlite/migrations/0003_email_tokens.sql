-- What each email cost when an LLM wrote it: prompt and completion tokens (0 for the
-- template writer). The writer column (0001) says which writer produced it.

ALTER TABLE emails ADD COLUMN prompt_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE emails ADD COLUMN completion_tokens INTEGER NOT NULL DEFAULT 0;
