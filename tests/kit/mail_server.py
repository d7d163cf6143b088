#!/usr/bin/env python3
"""A real SMTP server for tests (aiosmtpd, Debian's python3-aiosmtpd), on loopback.

Usage: mail_server.py MODE PORT_FILE OUT_DIR CERT KEY USER PASSWORD REFUSE
  MODE: starttls (STARTTLS and AUTH required) or smtps (TLS from the first byte, AUTH required).
Each accepted message is written to OUT_DIR/<n>.json as {"from", "to", "data", "auth"}; a RCPT to
REFUSE is answered 550. The chosen port is written to PORT_FILE once the server listens. Runs until
killed.
"""
import json, os, socket, ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

mode, port_file, out_dir, cert, key, user, password, refuse = sys.argv[1:9]
ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(cert, key)


class Handler:
    count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        Handler.count += 1
        with open(os.path.join(out_dir, "%d.json" % Handler.count), "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "data": envelope.content.decode("utf-8", "replace"),
                       "auth": session.authenticated,
                       "tls": server.transport.get_extra_info("ssl_object") is not None}, f)
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and \
        auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 235 or 535


s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
common = dict(hostname="127.0.0.1", port=port, authenticator=authenticator, auth_required=True)
if mode == "smtps":
    # aiosmtpd counts only STARTTLS as TLS for AUTH; here every byte is already encrypted.
    controller = Controller(Handler(), ssl_context=ctx, server_hostname="localhost", auth_require_tls=False,
                            **common)
else:
    controller = Controller(Handler(), tls_context=ctx, require_starttls=True, **common)
controller.start()
with open(port_file + ".tmp", "w") as f:
    f.write(str(port))
os.rename(port_file + ".tmp", port_file)
while True:
    time.sleep(3600)
