-- The win-back messages as the dashboard edits them (issue 12): every version kept, each
-- with who saved it, when, and a note. A message is named as a journey step names it
-- ("winback-1"…); a stored one overrides the built-in templates of that name. `text_body`
-- and `html_body` are Mustache; `instructions` are added to the LLM writer's prompt.
CREATE TABLE message_versions (
  name          TEXT NOT NULL,
  version       BIGINT NOT NULL,
  subject       TEXT NOT NULL,
  text_body     TEXT NOT NULL,
  html_body     TEXT NOT NULL,
  instructions  TEXT NOT NULL DEFAULT '',
  note          TEXT NOT NULL DEFAULT '',
  created_at    BIGINT NOT NULL,
  created_by    TEXT NOT NULL,
  PRIMARY KEY (name, version)
);
