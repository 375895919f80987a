#!/usr/bin/env python3
"""A round of hand mutation (docs/mutation-testing.md): for each mutant in MUTANTS, make
its one edit, build the unit tests, run the tests that should catch it, and put the file
back. A mutant is caught when those tests fail. Prints one line per mutant and the score.

Usage: scripts/mutation-round.py [--build-dir build] [--only ID ...] [--list]

It edits source files in place (and restores each one, also on Ctrl-C): run it on a
checkout nobody else is editing. Mutants in SQL rebuild the embedded queries; the
PostgreSQL half of a store mutant needs the ctest store_contract_postgres (the script
runs the SQLite half, and the PostgreSQL half too when RKD_TEST_POSTGRES_URL is set).
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# id, file, the exact text to replace (must occur once), its replacement, a gtest filter.
MUTANTS = [
    ("cooldown-day-short-processor", "src/pipeline/email_processor.cc",
     "now - *user.last_email_date < options_.cooldown);",
     "now - *user.last_email_date < options_.cooldown - kMillisPerDay);",
     "EmailProcessorTest.TheCooldownEndsExactlyAtItsLength"),
    ("cooldown-edge-processor", "src/pipeline/email_processor.cc",
     "now - *user.last_email_date < options_.cooldown);",
     "now - *user.last_email_date <= options_.cooldown);",
     "EmailProcessorTest.*Cooldown*"),
    ("cooldown-day-short-sweeper", "src/pipeline/sweeper.cc",
     "now - *u.last_email_date < cooldown_) continue;",
     "now - *u.last_email_date < cooldown_ - kMillisPerDay) continue;",
     "SweeperTest.*"),
    # The store's ReserveEmail: in the shared store core (both stores), or, before it,
    # in each store's own file (whichever holds the text runs; the others are skipped).
    ("cooldown-day-short-store-core", "src/store/sql/sql_store.cc",
     "draft.generated_at - *before->last_email_date < cooldown)",
     "draft.generated_at - *before->last_email_date < cooldown - kMillisPerDay)",
     "*StoreContractTest.ReserveEmailHonoursTheCooldownToTheMillisecond*"),
    ("email-id-ignores-trigger", "src/pipeline/email_processor.cc",
     'StableId("em-", user.user_id + "|" + event->event_id)',
     'StableId("em-", user.user_id)',
     "EmailProcessorTest.*:SweeperTest.*"),
    ("orders-cursor-repeats-sqlite", "sql/sqlite/queries.sql",
     "(order_date, order_id) < (?2, ?3)",
     "(order_date, order_id) <= (?2, ?3)",
     "*StoreContractTest.OrdersPage*"),
    ("orders-cursor-repeats-postgres", "sql/postgres/queries.sql",
     "(order_date, order_id) < ($2::bigint, $3::text)",
     "(order_date, order_id) <= ($2::bigint, $3::text)",
     "Postgres/StoreContractTest.OrdersPage*"),
    ("negative-price-accepted", "src/api/validation.cc",
     'auto p = NonNegativeNumber(*f, prefix + "price");',
     'auto p = f->is_number() ? Result<double>(f->get<double>()) : NonNegativeNumber(*f, prefix + "price");',
     "ValidationTest.*"),
    ("holdout-ignored", "src/pipeline/email_processor.cc",
     "if (InHoldout(user.user_id, options_.holdout_share)) {",
     "if (false && InHoldout(user.user_id, options_.holdout_share)) {",
     "EmailProcessorTest.*"),
    ("at-risk-ignored", "src/pipeline/email_processor.cc",
     "IsAtRisk(rules_, score) && !(user.last_email_date",
     "true && !(user.last_email_date",
     "EmailProcessorTest.*"),
    ("feedback-loop-open", "src/store/sql/sql_store.cc",
     "op == ChangeOp::kModify && !DiffersOutsidePipelineFields(*old_image, *new_image)",
     "false",
     "*StoreContractTest.OnlyChangesThePipelineCanActOnAreRecorded*:StreamProcessorTest.*"),
    ("checkpoint-before-publish", "src/pipeline/stream_processor.cc",
     "  RKD_RETURN_IF_ERROR(bus_.Publish(kTopic, out));\n"
     "  RKD_RETURN_IF_ERROR(store_.SetCheckpoint(kCheckpoint, changes->back().seq));",
     "  RKD_RETURN_IF_ERROR(store_.SetCheckpoint(kCheckpoint, changes->back().seq));\n"
     "  RKD_RETURN_IF_ERROR(bus_.Publish(kTopic, out));",
     "StreamProcessorTest.*"),
    ("failed-one-receive-late", "src/pipeline/email_processor.cc",
     "receive_count >= options_.max_receives ?",
     "receive_count > options_.max_receives ?",
     "EmailProcessorTest.*"),
    ("claimed-retried-on-backoff", "src/pipeline/email_processor.cc",
     "if (retry_after) *retry_after = options_.visibility_timeout;",
     "(void)retry_after;",
     "EmailProcessorTest.*"),
    ("footer-dropped", "src/pipeline/email_processor.cc",
     "  AppendFooter(options_.postal_address, unsubscribe, &composed->text, &composed->html);\n",
     "",
     "EmailProcessorTest.*:OutboxGoldenTest.*"),
]


def run(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default="build")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    chosen = [m for m in MUTANTS if not args.only or m[0] in args.only]
    if args.list:
        for m in chosen:
            print(f"{m[0]:36} {m[1]}")
        return 0
    tests_bin = os.path.join(ROOT, args.build_dir, "rkd_unit_tests")
    caught = 0
    for ident, path, old, new, gtest_filter in chosen:
        full = os.path.join(ROOT, path)
        with open(full, encoding="utf-8") as f:
            original = f.read()
        if original.count(old) != 1:
            print(f"{ident:36} SKIPPED: the text to mutate is not in {path} exactly once (the code moved?)")
            continue
        mutated = original.replace(old, new)
        try:
            with open(full, "w", encoding="utf-8") as f:
                f.write(mutated)
            build = run(["cmake", "--build", args.build_dir, "--target", "rkd_unit_tests"])
            if build.returncode != 0:
                print(f"{ident:36} BUILD FAILED (not counted)\n{build.stdout[-2000:]}")
                continue
            if gtest_filter.startswith("Postgres/") and not os.environ.get("RKD_TEST_POSTGRES_URL"):
                print(f"{ident:36} NOT RUN: needs PostgreSQL (tests/with_postgres.sh, or RKD_TEST_POSTGRES_URL)")
                continue
            t = run([tests_bin, f"--gtest_filter={gtest_filter}"])
            failed = [l.split("]", 1)[1].strip().split(",")[0].split(" (")[0] for l in t.stdout.splitlines()
                      if l.startswith("[  FAILED  ]") and "listed below" not in l and "FAILED TEST" not in l]
            if t.returncode != 0:
                caught += 1
                print(f"{ident:36} caught by {', '.join(sorted(set(failed))) or 'a failing run'}")
            else:
                print(f"{ident:36} SURVIVED ({gtest_filter} passed)")
        finally:
            # Put the file back, touching only the mutated text if someone changed the file since.
            with open(full, encoding="utf-8") as f:
                now = f.read()
            if now == mutated:
                restored = original
            elif new and now.count(new) == 1:
                restored = now.replace(new, old, 1)
            else:
                restored = now
                print(f"{ident:36} WARNING: {path} changed during the run; put the mutated text back by hand")
            with open(full, "w", encoding="utf-8") as f:
                f.write(restored)
    run(["cmake", "--build", args.build_dir, "--target", "rkd_unit_tests"])
    print(f"score: {caught} of {len(chosen)} caught")
    return 0


if __name__ == "__main__":
    sys.exit(main())
