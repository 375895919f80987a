"""Fault tests of the scale-out form: real `rekindle` processes on PostgreSQL and NATS
JetStream (issue 6, item 5).

Each test runs one `rekindle api`, `rekindle stream` (a leader; in one test a standby too)
and two `rekindle worker` processes of two threads each, on one fresh PostgreSQL schema,
one NATS namespace, one outbox folder and one unsubscribe secret, as a multi-host install
would. It writes a few hundred clients at risk (last order 120 days ago) through the API,
injects a fault while the pipeline is busy, and checks:
  - every client got exactly one email: one row in `emails`, SENT, and one file in the
    outbox (named after the email's id, addressed to the client); none got two;
  - the pipeline resumed by itself: the queue drains (depth 0, nothing in flight), nothing
    in the dead-letter queue, and no process gave up (each still runs, but the one the
    test killed).

The faults, one test each:
  1. a worker SIGKILLed mid-batch: the other worker (and a restarted one) finish, and the
     messages the dead one held come back after the visibility timeout (5 s here);
  2. the stream leader SIGKILLed while clients are written: the standby takes over from
     the checkpoint, no change is lost;
  3. nats-server SIGKILLed, down for 7 s, and started again on the same port and store
     (tests/restart_nats.sh) while clients are written: every process reconnects;
  4. a 3-node NATS cluster, streams replicated on all three (RKD_NATS_REPLICAS=3), loses
     a node (SIGKILL, not restarted) while clients are written;
  5. PostgreSQL stopped (pg_ctl stop -m fast), down for 90 s, and started again
     (tests/restart_postgres.sh) while clients are written: pooled connections, the
     leader's lock session and the API recover.
Test 5 is an outage longer than every retry an event has (five receives, 1 to 8 s
apart): it checks that an outage is not the events' fault (docs/invariants.md,
"Failures"): nothing dead-lettered, nothing lost, nothing sent twice, and at most one
receive burned per event; it prints what the outage cost (receives, and how long the
pipeline took to send again once the server was back).

They need RKD_TEST_POSTGRES_URL and RKD_TEST_NATS_URL (ctest's scale_out runs this file
through tests/with_postgres.sh tests/with_nats.sh) and skip without them. Tests 3 to 5
start servers of their own (a nats-server, a NATS cluster, a PostgreSQL server) so that
their fault touches nobody else. Waits are bounded by generous timeouts; nothing is timed.
RKD_TEST_LOG_DIR=DIR keeps every process's log there (and core files, under ulimit -c):
test 4 once found `rekindle stream` dead of SIGABRT that way (libnats 3.4, fixed in the
NATS bus since).
"""
import collections
import email
import email.policy
import glob
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request

from harness import BIN, Process, Server, postgres_schema_url, run_cli, wait_for
from test_http_api import iso_days_ago

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = 60        # seconds: a bound for waits, never a measure of speed
DRAIN_TIMEOUT = 120  # every email sent and the queue empty, after a fault
USERS = 240         # clients at risk per test
VISIBILITY_S = 5    # RKD_VISIBILITY_TIMEOUT_S: a dead worker's messages come back this soon
PG_DOWN_S = 90      # the PostgreSQL outage


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class UserWriter:
    """Creates clients at risk through the API on a thread of its own, `pace` seconds
    apart, until `total` exist or stop() is called. A request that fails for want of a
    server (503, a dropped connection) is tried again; a 409 after such a failure means
    the first try was stored."""

    def __init__(self, api, prefix, total=None, pace=0.0, patience=TIMEOUT):
        self.api, self.prefix, self.total, self.pace, self.patience = api, prefix, total, pace, patience
        self.written = 0
        self.retries = 0
        self.error = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _create(self, i):
        payload = {"email": f"{self.prefix}-{i}@example.com", "name": f"Client {i}",
                   "lastOrderDate": iso_days_ago(120), "orderCount": 1, "averageOrderValue": 40}
        deadline = time.time() + self.patience
        failed_before = False
        while True:
            try:
                status, body = self.api.call("POST", "/api/users", payload)
            except (OSError, ValueError) as e:  # a dropped connection, a cut-off body
                status, body = None, repr(e)
            if status == 201 or (status == 409 and failed_before):
                return
            if status not in (None, 500, 502, 503, 504) or time.time() > deadline:
                raise AssertionError(f"POST /api/users {payload['email']}: {status} {body}")
            failed_before = True
            self.retries += 1
            time.sleep(0.2)

    def _run(self):
        try:
            for i in itertools.count():
                if self._stop.is_set() or i == self.total:
                    return
                self._create(i)
                self.written = i + 1
                if self.pace:
                    time.sleep(self.pace)
        except Exception as e:  # reported by stop()
            self.error = e

    def stop(self, now=True):
        """Stops writing (or, with now=False, waits for `total`); returns how many clients
        were written."""
        if now:
            self._stop.set()
        self._thread.join(timeout=DRAIN_TIMEOUT)
        if self._thread.is_alive():
            raise AssertionError(f"the writer is stuck after {self.written} clients")
        if self.error:
            raise self.error
        return self.written


class NatsCluster:
    """Three nats-server processes on loopback, routed into one JetStream cluster, each
    with a store folder and a monitoring port of its own."""

    def __init__(self, root):
        self.root = root
        self.nodes = []

    def start(self):
        names = ["n1", "n2", "n3"]
        ports = {n: (free_port(), free_port(), free_port()) for n in names}  # client, route, http
        routes = "\n".join(f"    nats-route://127.0.0.1:{ports[n][1]}" for n in names)
        for n in names:
            client, route, http = ports[n]
            d = os.path.join(self.root, n)
            os.makedirs(d)
            conf = os.path.join(d, "nats-server.conf")
            with open(conf, "w") as f:
                f.write(f"server_name: {n}\nlisten: 127.0.0.1:{client}\nhttp: 127.0.0.1:{http}\n"
                        f"jetstream {{\n  store_dir: {d}/store\n}}\n"
                        f"cluster {{\n  name: rkd-test\n  listen: 127.0.0.1:{route}\n  routes: [\n{routes}\n  ]\n}}\n")
            self.nodes.append({"name": n, "proc": self._run(d, conf), "client": client, "http": http, "dir": d,
                               "conf": conf})

    @staticmethod
    def _run(d, conf):
        with open(os.path.join(d, "server.log"), "a") as log:
            return subprocess.Popen(["nats-server", "-c", conf], stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL)

    def restart(self, name):
        """Starts a stopped node again, on its ports and store."""
        node = self.node(name)
        node["proc"] = self._run(node["dir"], node["conf"])

    def last_seqs(self, stream):
        """Each running node's last sequence of its replica of `stream` (None: not yet there)."""
        out = {}
        for node in self.nodes:
            info = self.jsz(node, "?streams=true") or {}
            seqs = [s.get("state", {}).get("last_seq") for a in info.get("account_details", [])
                    for s in a.get("stream_detail", []) if s.get("name") == stream]
            out[node["name"]] = seqs[0] if seqs else None
        return out

    def url(self):
        return ",".join(f"nats://127.0.0.1:{n['client']}" for n in self.nodes)

    def jsz(self, node, query=""):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{node['http']}/jsz{query}", timeout=5) as r:
                return json.loads(r.read())
        except (OSError, ValueError):
            return None

    def meta_leader(self, nodes=None):
        """The JetStream meta leader all the given (running) nodes agree on, if any."""
        leaders = set()
        for node in nodes or self.nodes:
            info = self.jsz(node)
            leader = info and info.get("meta_cluster", {}).get("leader")
            if not leader:
                return None
            leaders.add(leader)
        return leaders.pop() if len(leaders) == 1 else None

    def stream_leader(self, stream):
        """The node that leads `stream`'s replicas (from any node's monitoring)."""
        for node in self.nodes:
            if node["proc"].poll() is not None:
                continue
            info = self.jsz(node, "?streams=true")
            for account in (info or {}).get("account_details", []):
                for s in account.get("stream_detail", []):
                    if s.get("name") == stream and s.get("cluster", {}).get("leader"):
                        return s["cluster"]["leader"]
        return None

    def node(self, name):
        return next(n for n in self.nodes if n["name"] == name)

    def stop(self):
        for n in self.nodes:
            if n["proc"].poll() is None:
                n["proc"].kill()
            n["proc"].wait()


@unittest.skipUnless(os.environ.get("RKD_TEST_POSTGRES_URL") and os.environ.get("RKD_TEST_NATS_URL"),
                     "RKD_TEST_POSTGRES_URL or RKD_TEST_NATS_URL is not set "
                     "(ctest's scale_out starts both servers)")
class ScaleOutFaultTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="rkd-scale-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.outbox = os.path.join(self.dir, "outbox")
        self.processes = []  # each rekindle process the test runs (not the api)
        self.started = itertools.count()
        self.api = None

    # --- the install --------------------------------------------------------------------

    def configure(self, database_url=None, bus_url=None, **extra):
        """The environment every process of this test shares, as rekindle.env would."""
        name = os.path.basename(self.dir)
        self.env = dict(os.environ)
        self.env.update({
            "RKD_DATABASE_URL": database_url or postgres_schema_url(name),
            "RKD_BUS_URL": bus_url or os.environ["RKD_TEST_NATS_URL"],
            "RKD_BUS_NAMESPACE": "".join(c if c.isalnum() else "_" for c in name),
            "RKD_OUTBOX_DIR": self.outbox,
            "RKD_UNSUBSCRIBE_SECRET": "scale-out-test-secret-0123456789abcdef",
            "RKD_HOLDOUT_SHARE": "0",
            "RKD_VISIBILITY_TIMEOUT_S": str(VISIBILITY_S),
            "RKD_RETRY_BASE_MS": "250",
            "RKD_WORKERS": "2",
            "RKD_PG_POOL_SIZE": "4",
            "RKD_HTTP_ADDR": "127.0.0.1:0",
            "RKD_LOG_LEVEL": "info",
        })
        self.env.update(extra)
        code, _, err = run_cli("migrate", env=self.env)  # before the processes race to migrate
        self.assertEqual(code, 0, err)
        # `rekindle sweep` on the empty store opens the bus like every process does (and
        # creates the streams and the queue): once it succeeds, JetStream is ready.
        outcome = wait_for(lambda: run_cli("sweep", env=self.env)[0] == 0, timeout=TIMEOUT, interval=1)
        self.assertTrue(outcome, run_cli("sweep", env=self.env))

    # A young NATS cluster may still time out a JetStream request now and then after the
    # probe in configure() got through; a process that cannot set up its streams exits,
    # and systemd (Restart=on-failure) starts it again. The cluster test does the same.
    retry_starts = False

    def start_api(self):
        deadline = time.time() + TIMEOUT
        while True:
            try:
                self.api = Server(self.env, command="api")
                break
            except RuntimeError:
                if not self.retry_starts or time.time() > deadline:
                    raise
        self.addCleanup(self.api.stop)
        # Workers put the API's address in every email's links, as behind a balancer.
        self.env["RKD_PUBLIC_URL"] = f"http://127.0.0.1:{self.api.port}"
        return self.api

    def start(self, *args, ready=("email worker started", "leader", "standby")):
        """Starts `rekindle ARGS` and waits until it runs (a worker's threads started, a
        stream processor leads or stands by)."""
        deadline = time.time() + TIMEOUT
        while True:
            p = Process(args, self.env, self.dir)
            self.addCleanup(self.keep_log, p, next(self.started))
            self.addCleanup(p.stop, signal.SIGKILL)
            started = wait_for(lambda: not p.alive() or any(p.count(m) for m in ready), timeout=TIMEOUT)
            if started and p.alive():
                self.processes.append(p)
                return p
            if not self.retry_starts or time.time() > deadline:
                self.fail(p)
            p.stop()
            print(f"(rekindle {' '.join(args)} exited at start: starting it again)", end=" ", flush=True)
            time.sleep(1)

    def keep_log(self, p, i):
        """RKD_TEST_LOG_DIR=DIR keeps every process's log there (the api's too), for a
        look at what happened."""
        keep = os.environ.get("RKD_TEST_LOG_DIR")
        if keep:
            os.makedirs(keep, exist_ok=True)
            name = f"{self._testMethodName}.{i}.{'-'.join(p.args)}.log"
            with open(os.path.join(keep, name), "w") as f:
                f.writelines(p.lines)
            for core in glob.glob(os.path.join(self.dir, "core*")):  # with ulimit -c
                shutil.move(core, os.path.join(keep, f"{self._testMethodName}.{os.path.basename(core)}"))
            if i == 0 and self.api:
                with open(os.path.join(keep, f"{self._testMethodName}.api.log"), "w") as f:
                    f.writelines(self.api.log)

    def logs(self):
        return "\n".join(repr(p) for p in self.processes) + \
            ("\nrekindle api, last lines:\n" + "".join(self.api.log[-8:]) if self.api else "")

    # --- what the pipeline shows ----------------------------------------------------------

    def psql(self, sql):
        r = subprocess.run(["psql", "-Atq", "-v", "ON_ERROR_STOP=1", self.env["RKD_DATABASE_URL"], "-c", sql],
                           capture_output=True, text=True, timeout=TIMEOUT)
        if r.returncode != 0:
            return None  # e.g. the server restarting: callers poll
        return [line.split("|") for line in r.stdout.splitlines() if line]

    def queue(self):
        try:
            status, body = self.api.call("GET", "/api/queues")
        except OSError:
            return None
        if status != 200:
            return None  # e.g. 503 while the bus is away
        return next((q for q in body["data"] if q["name"] == "email-processor"), None)

    def sent_count(self):
        rows = self.psql("SELECT count(*) FROM emails WHERE status = 'SENT'")
        return int(rows[0][0]) if rows else 0

    def deliveries(self, processes=None):
        """How many times each email id was handed to the mailer, across the given workers."""
        c = collections.Counter()
        for p in processes or self.processes:
            c.update(e.get("emailId") for e in p.entries("email sent"))
        return c

    def resent(self):
        """The emails handed to the mailer more than once. The outbox keeps one file per
        email id whatever happens; SMTP would send such an email again, under the same
        Message-ID. What can still cause it: a worker dying (or its store going away) between
        sending and recording (tests 1 and 5): a send cannot be undone. JetStream handing one
        message to two workers at once around a NATS failover (tests 3 and 4) cannot: the
        store's send lease (ReserveEmail) lets only one of them send."""
        twice = sorted(e for e, n in self.deliveries().items() if n > 1)
        print(f"handed to the mailer twice: {len(twice)}", end=" ", flush=True)
        return twice

    def receives(self):
        """Each event's receives, as the workers logged them (the highest receiveCount)."""
        counts = {}
        for p in self.processes:
            for e in p.entries("event"):
                counts[e["eventId"]] = max(counts.get(e["eventId"], 0), e["receiveCount"])
        return counts

    def outage(self, take_away):
        """Runs `take_away()` (which returns once the server is back), then waits until an
        email is sent again. Returns the seconds from the server's return to that email."""
        take_away()
        back, sent = time.time(), self.sent_count()
        self.assertTrue(wait_for(lambda: self.sent_count() > sent, timeout=TIMEOUT, interval=0.1), self.logs())
        return time.time() - back

    def assert_the_outage_cost_no_receive(self, recovery):
        """After an outage longer than every retry: no event lost more than one receive to
        it (an outage is not the event's fault; one at most where a handling failed just
        as the server went away, while it still answered the probe, see
        docs/invariants.md), and the pipeline sent again soon."""
        receives = self.receives()
        burned = {e: n - 1 for e, n in receives.items() if n > 1}
        print(f"\n  events {len(receives)}; receives burned {sum(burned.values())} "
              f"(most on one event {max(burned.values(), default=0)}); "
              f"first email {recovery:.1f} s after the server was back", end=" ", flush=True)
        self.assertLessEqual(max(burned.values(), default=0), 1, f"receives burned by the outage: {burned}")

    def assert_every_client_emailed_once(self, expected_users):
        """Waits until the pipeline has drained, then checks the store and the outbox."""
        done = wait_for(lambda: self.sent_count() >= expected_users, timeout=DRAIN_TIMEOUT, interval=0.5)
        self.assertTrue(done, f"{self.sent_count()} of {expected_users} emails sent\n{self.logs()}")

        def drained():
            q = self.queue()
            return q if q and q["depth"] == 0 and q["inFlight"] == 0 else None
        q = wait_for(drained, timeout=DRAIN_TIMEOUT, interval=0.5)
        self.assertTrue(q, f"the queue did not drain: {self.queue()}\n{self.logs()}")
        self.assertEqual(q["dlqDepth"], 0, q)

        users = {row[0]: row[1] for row in self.psql("SELECT user_id, email FROM users")}
        self.assertEqual(len(users), expected_users)
        emails = self.psql("SELECT email_id, user_id, status FROM emails")
        per_user = collections.Counter(user for _, user, _ in emails)
        self.assertEqual(set(per_user), set(users), "a client without an email, or an email for no client")
        self.assertEqual([u for u, n in per_user.items() if n != 1], [], "clients emailed more than once")
        self.assertEqual({s for _, _, s in emails}, {"SENT"})

        # The outbox: one file per email (named after its id), addressed to its client.
        files = glob.glob(os.path.join(self.outbox, "new", "*.eml"))
        ids_in_files = collections.Counter(os.path.basename(f)[:-len("_rekindle.eml")] for f in files)
        self.assertEqual(set(ids_in_files), {e for e, _, _ in emails})
        self.assertEqual(len(files), expected_users)
        recipients = collections.Counter()
        for path in files:
            with open(path, "rb") as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            recipients[msg["To"].addresses[0].addr_spec.lower()] += 1
        self.assertEqual(recipients, collections.Counter(a.lower() for a in users.values()))

        # Nobody gave up: every process the test did not kill still runs.
        for p in self.processes:
            if p not in self.killed:
                self.assertTrue(p.alive(), p)
        self.assertIsNone(self.api.proc.poll(), "".join(self.api.log[-20:]))

    killed = ()

    # --- the faults -----------------------------------------------------------------------

    def test_a_worker_sigkilled_mid_batch(self):
        self.configure()
        self.start_api()
        self.start("stream")
        # Enough clients that the queue outlasts the doomed worker's first batch (a
        # thread takes up to 100 at a time): the suite's usual count drained before the kill.
        users = 1000
        # The whole backlog first, so that the workers start on a full queue.
        self.assertEqual(UserWriter(self.api, "kill-worker", users).stop(now=False), users)
        self.assertTrue(wait_for(lambda: (self.queue() or {}).get("depth", 0) >= users, timeout=TIMEOUT),
                        f"{self.queue()}\n{self.logs()}")
        doomed, survivor = self.start("worker"), self.start("worker")
        # Once the doomed worker is sending, each of its threads holds a batch (up to 100).
        self.assertTrue(wait_for(lambda: doomed.count("email sent") >= 3, timeout=TIMEOUT), doomed)
        doomed.stop(signal.SIGKILL)
        self.killed = (doomed,)
        sent_by_doomed = doomed.count("email sent")
        self.assertLess(self.sent_count(), users, "the queue had drained before the kill")
        restarted = self.start("worker")  # as systemd's Restart= would

        self.assert_every_client_emailed_once(users)
        self.assertGreater(survivor.count("email sent") + restarted.count("email sent"), 0)
        # What the dead worker held came back after the visibility timeout.
        redelivered = [e for p in (survivor, restarted) for e in p.entries("event") if e["receiveCount"] >= 2]
        self.assertTrue(redelivered, self.logs())
        # Handed to the mailer twice only where the dead worker died between sending and
        # recording, and only what it had in hand: the outbox (one file per Message-ID, so
        # a repeat is delivered once) takes a batch before its outcomes are recorded, so at
        # most a batch per thread of the dead worker (RKD_WORKERS=2, batches of 100).
        # A mail server that would deliver a repeat twice gets one message at a time, each
        # recorded before the next (EmailProcessorTest.ToAMailServerEachOutcomeIsRecorded…).
        twice = {e for e, n in self.deliveries().items() if n > 1}
        self.assertLessEqual(len(twice), 2 * 100, twice)
        self.assertLessEqual(twice, set(self.deliveries([doomed])))
        print(f"\n  killed worker: sent {sent_by_doomed}; redelivered {len(redelivered)}; "
              f"resent under the same id {len(twice)}", flush=True)

    def write_through(self, prefix, fault, patience=TIMEOUT, total=None):
        """Writes clients at risk, a few ms apart, while the pipeline runs: once a third of
        USERS are written and emails go out, runs `fault()` (which returns once the fault
        is in place, or over), and writes as many again after it (or up to `total` in
        all). A write is tried for `patience` seconds. Returns how many clients were
        written."""
        writer = UserWriter(self.api, prefix, total=total, pace=0.01, patience=patience)
        self.addCleanup(lambda: writer._stop.set())  # on a failure, at least
        self.assertTrue(wait_for(lambda: writer.written >= USERS // 3 and self.sent_count() > 0,
                                 timeout=TIMEOUT), self.logs())
        before = writer.written
        fault()
        after = writer.written
        enough = after + USERS // 3 if total is None else total
        self.assertTrue(wait_for(lambda: writer.written >= enough, timeout=TIMEOUT),
                        f"the API wrote {writer.written - after} clients after the fault\n{self.logs()}")
        total = writer.stop()
        print(f"\n  clients: {before} before the fault, {after - before} during, {total - after} after; "
              f"requests retried {writer.retries}", end=" ", flush=True)
        return total

    def test_the_stream_leader_sigkilled_while_clients_are_written(self):
        self.configure()
        self.start_api()
        a, b = self.start("stream"), self.start("stream")
        self.assertTrue(wait_for(lambda: a.count("leader") + b.count("leader") == 1 and
                                 a.count("standby") + b.count("standby") >= 1, timeout=TIMEOUT), self.logs())
        leader, standby = (a, b) if a.count("leader") else (b, a)
        self.start("worker")
        self.start("worker")

        def kill_the_leader():
            leader.stop(signal.SIGKILL)
            self.killed = (leader,)
            self.assertTrue(wait_for(lambda: standby.count("leader") == 1, timeout=TIMEOUT), standby)
        users = self.write_through("kill-leader", kill_the_leader)
        self.assert_every_client_emailed_once(users)
        # What the new leader published again is dropped by NATS (Nats-Msg-Id) or finds
        # its email sent: the mailer saw each email once.
        self.assertEqual(self.resent(), [])

    def test_nats_server_restarted_during_a_run(self):
        nats_dir = tempfile.mkdtemp(prefix="rkd-nats-restart-")
        self.addCleanup(subprocess.run, [os.path.join(HERE, "stop_nats.sh"), nats_dir])
        url = subprocess.run([os.path.join(HERE, "start_nats.sh"), nats_dir], check=True, capture_output=True,
                             text=True, timeout=TIMEOUT).stdout.strip()
        self.configure(bus_url=url)
        self.start_api()
        self.start("stream")
        self.start("worker")
        self.start("worker")
        # A crash (SIGKILL), then the same server on the same port and store; down longer
        # than a publish waits for its ack (5 s), so the stream processor's publishes fail
        # and are retried, not just held in the client's reconnect buffer.
        users = self.write_through("nats-restart", lambda: subprocess.run(
            [os.path.join(HERE, "restart_nats.sh"), nats_dir, "KILL", "7"], check=True, timeout=TIMEOUT))
        self.assert_every_client_emailed_once(users)
        self.assertEqual(self.resent(), [])  # the send lease: never two deliveries at once

    def test_a_three_node_nats_cluster_losing_a_node(self):
        cluster = NatsCluster(os.path.join(self.dir, "nats"))
        self.addCleanup(cluster.stop)
        cluster.start()
        self.assertTrue(wait_for(cluster.meta_leader, timeout=TIMEOUT, interval=0.25),
                        "the NATS cluster elected no JetStream meta leader")
        self.retry_starts = True
        self.configure(bus_url=cluster.url(), RKD_NATS_REPLICAS="3")
        self.start_api()
        self.start("stream")
        self.start("worker")
        self.start("worker")
        stream = self.env["RKD_BUS_NAMESPACE"] + "_T_user-events"
        lost = []

        def lose_a_node():
            # The node that leads the topic's stream: the hardest one to lose.
            victim = cluster.node(cluster.stream_leader(stream) or "n1")
            victim["proc"].kill()
            victim["proc"].wait()
            lost.append(victim["name"])
            survivors = [n for n in cluster.nodes if n is not victim]
            self.assertTrue(wait_for(lambda: cluster.meta_leader(survivors), timeout=TIMEOUT, interval=0.25))
        users = self.write_through("nats-cluster", lose_a_node)
        self.assert_every_client_emailed_once(users)
        self.assertEqual(self.resent(), [])  # the send lease: never two deliveries at once
        print(f"lost {lost[0]}, now led by {cluster.stream_leader(stream)}", end=" ", flush=True)

        # The lost node comes back while clients are written: it catches up with the
        # stream's replicas, and the pipeline runs on.
        def bring_it_back():
            cluster.restart(lost[0])
            self.assertTrue(wait_for(cluster.meta_leader, timeout=TIMEOUT, interval=0.25))
        users += self.write_through("nats-cluster-back", bring_it_back)
        self.assert_every_client_emailed_once(users)
        self.assertEqual(self.resent(), [])
        caught_up = wait_for(lambda: (lambda s: None not in s.values() and len(set(s.values())) == 1)(
            cluster.last_seqs(stream)), timeout=TIMEOUT, interval=0.5)
        self.assertTrue(caught_up, cluster.last_seqs(stream))

    def test_postgresql_down_for_90_s_under_load(self):
        # A server of this test's own: restarting it disturbs no other test. Its folder
        # must be reachable by the postgres user (start_postgres.sh), as /tmp's are.
        pg_dir = tempfile.mkdtemp(prefix="rkd-pg-restart-")
        self.addCleanup(subprocess.run, [os.path.join(HERE, "stop_postgres.sh"), pg_dir])
        base = subprocess.run([os.path.join(HERE, "start_postgres.sh"), pg_dir], check=True, capture_output=True,
                              text=True, timeout=TIMEOUT).stdout.strip()
        schema = "rkd_pg_restart"
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", base, "-c", "CREATE SCHEMA " + schema],
                       check=True, capture_output=True, timeout=TIMEOUT)
        self.configure(database_url=base + "?options=-csearch_path%3D" + schema)
        self.start_api()
        stream = self.start("stream")
        self.start("worker")
        self.start("worker")
        # Every session ended (pg_ctl stop -m fast), the server away for longer than every
        # retry an event has, then back on its port. The API answers 503 meanwhile (the
        # writer tries each client again until it is back); the workers hold the batch in
        # hand and receive nothing until the store answers.
        recovery = []
        users = self.write_through("pg-outage", lambda: recovery.append(self.outage(lambda: subprocess.run(
            [os.path.join(HERE, "restart_postgres.sh"), pg_dir, str(PG_DOWN_S)], check=True,
            stdin=subprocess.DEVNULL, timeout=PG_DOWN_S + TIMEOUT))), patience=PG_DOWN_S + TIMEOUT)
        # Nothing lost, nothing dead-lettered (the queue drained with an empty DLQ), one
        # email and one outbox file per client.
        self.assert_every_client_emailed_once(users)
        # The leader's lock session died with the server: it stepped down and leads again.
        self.assertTrue(wait_for(lambda: stream.count("leader") >= 2, timeout=TIMEOUT), stream)
        # Nothing sent twice: the outbox holds one file per email (checked above). The
        # mailer may have been handed an email twice where the store went away between its
        # send and its record (a send cannot be undone): at most one per worker thread.
        self.assertLessEqual(len(self.resent()), 4)
        self.assert_the_outage_cost_no_receive(recovery[0])


if __name__ == "__main__":
    unittest.main()
