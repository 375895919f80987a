"""`make package`: the Debian package cpack builds from the build folder, inspected as a
host's administrator would (dpkg-deb), and its binary run from the unpacked tree."""
import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request

BUILD_DIR = os.environ.get("REKINDLE_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "build"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.mkdtemp(prefix="rkd-deb-")
        subprocess.run(["cpack", "-G", "DEB", "-B", cls.out], cwd=BUILD_DIR, check=True, capture_output=True,
                       timeout=240)
        debs = glob.glob(os.path.join(cls.out, "*.deb"))
        assert len(debs) == 1, debs
        cls.deb = debs[0]
        cls.root = os.path.join(cls.out, "root")
        subprocess.run(["dpkg-deb", "-x", cls.deb, cls.root], check=True)
        cls.control = os.path.join(cls.out, "control")
        subprocess.run(["dpkg-deb", "-e", cls.deb, cls.control], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out, ignore_errors=True)

    def field(self, name):
        return subprocess.run(["dpkg-deb", "-f", self.deb, name], capture_output=True, text=True,
                              check=True).stdout.strip()

    def test_control_fields(self):
        self.assertEqual(self.field("Package"), "rekindle")
        self.assertRegex(self.field("Version"), r"^\d+\.\d+\.\d+")
        self.assertEqual(self.field("Architecture"), subprocess.run(
            ["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip())
        depends = self.field("Depends")
        # dpkg-shlibdeps named the runtime libraries the binary links.
        for lib in ("libc6", "libsqlite3-0", "libpq5", "libcurl4", "libnats3.4", "libnlopt0", "adduser"):
            self.assertIn(lib, depends)

    def test_contents(self):
        for path, mode in [("usr/bin/rekindle", 0o755), ("etc/rekindle/rekindle.env", 0o640),
                           ("usr/share/rekindle/templates/reengagement/subject.mustache", 0o644),
                           ("usr/share/doc/rekindle/rekindle.env.example", 0o644)]:
            full = os.path.join(self.root, path)
            self.assertTrue(os.path.isfile(full), path)
            self.assertEqual(os.stat(full).st_mode & 0o777, mode, path)
        units = sorted(os.path.basename(p) for p in glob.glob(os.path.join(self.root, "lib/systemd/system/*")))
        self.assertEqual(units, ["rekindle-api.service", "rekindle-migrate.service", "rekindle-stream.service",
                                 "rekindle-sweep.service", "rekindle-sweep.timer", "rekindle-worker@.service"])
        for unit in units:
            with open(os.path.join(self.root, "lib/systemd/system", unit)) as f:
                text = f.read()
            self.assertNotIn("/usr/local/bin", text, unit)
            if unit.endswith(".service"):
                self.assertIn("ExecStart=/usr/bin/rekindle ", text, unit)
        # Nothing from the build or the source tree's development files.
        listing = subprocess.run(["dpkg-deb", "-c", self.deb], capture_output=True, text=True, check=True).stdout
        for unwanted in ("node_modules", ".git", "CMakeFiles", "/tests/", "rkd_unit_tests", ".db"):
            self.assertNotIn(unwanted, listing)

    def test_conffile_and_postinst(self):
        with open(os.path.join(self.control, "conffiles")) as f:
            self.assertEqual(f.read().split(), ["/etc/rekindle/rekindle.env"])
        postinst = os.path.join(self.control, "postinst")
        self.assertTrue(os.access(postinst, os.X_OK))
        with open(postinst) as f:
            text = f.read()
        self.assertIn("adduser --system", text)
        self.assertIn("chmod 0640 /etc/rekindle/rekindle.env", text)
        subprocess.run(["sh", "-n", postinst], check=True)

    def test_unpacked_binary_serves_the_dashboard_from_anywhere(self):
        binary = os.path.join(self.root, "usr/bin/rekindle")
        version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
        self.assertIn(self.field("Version"), version)
        work = tempfile.mkdtemp(prefix="rkd-deb-run-")
        port = free_port()
        env = dict(os.environ, RKD_DATABASE_URL="sqlite:" + os.path.join(work, "r.db"),
                   RKD_HTTP_ADDR=f"127.0.0.1:{port}", RKD_WORKERS="0")
        env.pop("RKD_WEB_DIR", None)
        proc = subprocess.Popen([binary, "serve"], cwd="/", env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        try:
            for line in proc.stdout:
                if json.loads(line).get("msg") == "listening":
                    break
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as resp:
                self.assertEqual(resp.status, 200)
                self.assertIn(b'<div id="root">', resp.read())
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health") as resp:
                self.assertEqual(json.loads(resp.read())["success"], True)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            proc.stdout.close()
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
