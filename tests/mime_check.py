"""Reads a message back with a real parser (python3's email package, policy.default) and
prints what it found as one JSON object, for tests written in other languages (the Mailer
contract suite, src/delivery/mailer_contract_test.cc):
  contentType, parts ([contentType, charset] of each part), the decoded headers (from,
  replyTo, to: [name, address], subject, messageId, date as Unix seconds, listUnsubscribe,
  listUnsubscribePost, mimeVersion), text and html (each part's decoded content, its CR LF line ends
  read as LF), defects
  (the parser's complaints, every part's included) and bareLineFeeds (LFs without a CR).
Usage: python3 tests/mime_check.py FILE
"""
import email
import email.policy
import email.utils
import json
import sys


def main():
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    defects = [type(d).__name__ for d in msg.defects]
    parts = []
    if msg.is_multipart():
        for p in msg.iter_parts():
            parts.append([p.get_content_type(), p.get_content_charset()])
            defects += [type(d).__name__ for d in p.defects]
    to = msg["To"].addresses[0] if msg["To"] else None
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    date = email.utils.parsedate_to_datetime(str(msg["Date"])) if msg["Date"] else None
    print(json.dumps({
        "contentType": msg.get_content_type(),
        "parts": parts,
        "from": str(msg["From"] or ""),
        "replyTo": str(msg["Reply-To"] or ""),
        "to": [to.display_name, to.addr_spec] if to else None,
        "subject": str(msg["Subject"] or ""),
        "messageId": str(msg["Message-ID"] or ""),
        "date": int(date.timestamp()) if date else None,
        "listUnsubscribe": str(msg["List-Unsubscribe"] or ""),
        "listUnsubscribePost": str(msg["List-Unsubscribe-Post"] or ""),
        "mimeVersion": str(msg["MIME-Version"] or ""),
        "text": text.get_content().replace("\r\n", "\n") if text else None,
        "html": html.get_content().replace("\r\n", "\n") if html else None,
        "defects": defects,
        "bareLineFeeds": raw.replace(b"\r\n", b"").count(b"\n"),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
