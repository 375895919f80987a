"""A real SMTP server for tests (Debian's python3-aiosmtpd): accepts mail into a folder
of .eml files, and answers like a real MTA for special recipients:
  reject-…@…    550 5.1.1 (a permanent failure)
  tempfail-…@…  451 4.3.0 (a temporary failure)
  drop-…@…      the connection is dropped mid-transaction (no reply at all)

Run: /usr/bin/python3 tests/smtp_sink.py OUTDIR [CERT KEY [implicit]]   → prints "PORT <n>"
when listening. With a certificate and key it offers STARTTLS and refuses mail without it;
with "implicit" it speaks TLS from the first byte instead (SMTPS, as on port 465).
"""
import os
import socket
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local.startswith("reject"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if local.startswith("drop"):
            server.transport.abort()
            return "250 2.1.5 OK"  # never reaches the client: the connection is gone
        if local.startswith("tempfail"):
            return "451 4.3.0 <%s>: Temporary lookup failure" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = "%d-%d.eml" % (time.time_ns(), self.count)
        tmp = os.path.join(self.outdir, "." + name)
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(self.outdir, name))
        with open(os.path.join(self.outdir, "envelopes.log"), "a") as f:
            f.write("%s %s %s\n" % (name, envelope.mail_from, ",".join(envelope.rcpt_tos)))
        return "250 2.0.0 Ok: queued as %s" % name


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    port = free_port()
    tls = {}
    if len(sys.argv) >= 4:
        import ssl
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        implicit = len(sys.argv) >= 5 and sys.argv[4] == "implicit"
        tls = {"ssl_context": context} if implicit else {"tls_context": context, "require_starttls": True}
    controller = Controller(Sink(outdir), hostname="127.0.0.1", port=port, **tls)
    controller.start()
    print("PORT %d" % port, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
