// The messages a journey step sends (issue 12): each a set of templates (subject, plain
// text, HTML, optional LLM instructions) kept in versions. Version 0 is the built-in one
// (the files in templates/); every save makes a new version, used for the next email of
// its step.

/** GET /api/messages: one row per message. */
export interface MessageSummary {
  name: string;
  /** The current version; 0 for the built-in templates. */
  version: number;
  builtIn: boolean;
  /** The subject template. */
  subject: string;
  note: string;
  updatedAt: string | null;
  updatedBy: string | null;
  /** The journey steps (1-based) that send it; empty when the journey does not use it. */
  steps: number[];
}

/** One saved version of a message, newest first in `Message.versions`. */
export interface MessageVersion {
  version: number;
  note: string;
  createdAt: string | null;
  createdBy: string | null;
}

/** A message's templates, as edited and as previewed. */
export interface MessageTemplates {
  subject: string;
  text: string;
  html: string;
  /** Instructions for the LLM that writes the email from the templates; may be empty. */
  instructions: string;
}

/** POST and PUT /api/messages's answer: a version of a message. */
export interface MessageRecord extends MessageTemplates {
  name: string;
  version: number;
  builtIn: boolean;
  note: string;
  updatedAt: string | null;
  updatedBy: string | null;
  steps: number[];
  currentVersion?: number;
}

/** GET /api/messages/:name[?version=N]. */
export interface Message extends MessageRecord {
  /** The version a save must start from (`baseVersion`). */
  currentVersion: number;
  versions: MessageVersion[];
  /** The names a template may use as `{{name}}`. */
  placeholders: string[];
}

/** POST /api/messages. */
export interface NewMessage extends MessageTemplates {
  name: string;
  note?: string;
}

/** PUT /api/messages/:name. */
export interface MessageEdit extends MessageTemplates {
  note?: string;
  /** The version the edit started from; the server refuses it (409) when another was saved since. */
  baseVersion?: number;
}

/** POST /api/messages/:name/preview: the draft rendered for a client. */
export interface MessagePreview {
  subject: string;
  text: string;
  html: string;
  /** The journey step it is previewed as, when it belongs to one. */
  step: number | null;
  client: { userId: string | null; name: string; sample: boolean };
  /** Why this draft could not be sent (an unknown placeholder, say), and which field; null when it could. */
  problem: { error: string; field?: string | null } | null;
}
