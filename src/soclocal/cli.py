"""The `soclocal` command."""

import argparse
import gc
import json
import os
import sys


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soclocal.config.settings")
    import django

    django.setup()


def _progress_printer(label):
    """Progress on one line of the terminal (or a line a step when output is not a terminal)."""
    state = {"last": -1}

    def progress(done, total, message=""):
        pct = int(done * 100 / total) if total else 100
        if pct == state["last"] and done != total:
            return
        state["last"] = pct
        text = f"{label}: {pct:3d}% ({done:,}/{total:,}) {message}".rstrip()
        if sys.stderr.isatty():
            sys.stderr.write("\r" + text.ljust(79) + ("\n" if done >= total else ""))
        elif pct % 10 == 0 or done >= total:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()

    return progress


def cmd_init(args):
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.conf import settings

    print(f"Database ready in {settings.DATA_DIR} ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}).")
    return 0


def cmd_demo(args):
    cmd_init(args)
    if args.place == "glasgow":
        from soclocal.demo_glasgow import load_glasgow_demo as load_demo
        from soclocal.demo_glasgow import print_logins
    else:
        from soclocal.demo import load_demo, print_logins

    load_demo(progress=_progress_printer("Loading the demo"))
    print_logins()
    if args.no_serve:
        return 0
    return cmd_serve(args)


def cmd_serve(args):
    from django.conf import settings

    port = str(getattr(args, "port", None) or os.environ.get("PORT", "8000"))
    host = getattr(args, "host", None) or os.environ.get("HOST", "127.0.0.1")
    print(f"soclocal is serving at http://{host}:{port}/ ({settings.MODE} mode). Ctrl+C stops it.",
          flush=True)
    from gunicorn.app.wsgiapp import run

    if not settings.PRODUCTION:
        # The demo runs its background worker alongside; production runs `soclocal worker`.
        import subprocess

        subprocess.Popen([sys.executable, "-m", "soclocal.cli", "worker"])

    sys.argv = ["gunicorn", "soclocal.config.wsgi:application", "--bind", f"{host}:{port}",
                "--workers", os.environ.get("WEB_CONCURRENCY", "2"), "--threads", "4",
                "--access-logfile", "-" if settings.PRODUCTION else "/dev/null",
                "--timeout", "120"]
    return run()


def cmd_worker(args):
    from django.core.management import call_command

    from soclocal.core import jobs
    from soclocal.crime.imports import recover_stopped

    # What a worker that died left: its jobs are marked stopped (their owners can start them
    # again), and a crime import it was running is finished or undone.
    for job in jobs.sweep_stopped():
        print(f"Job {job.pk} ({job.title}) stopped with its worker; marked failed, can be "
              "started again.", file=sys.stderr)
    recovered = recover_stopped()
    if recovered:
        print(f"{recovered} stopped crime import(s) brought up to date.", file=sys.stderr)
    options = ["--queue-name", "*", "--worker-id", jobs.worker_id()]
    if args.once:
        options += ["--batch", "--no-startup-delay"]
    call_command("db_worker", *options)
    return 0


def cmd_users(args):
    from soclocal.accounts.selectors import account_listing

    rows = account_listing()
    if args.format == "json":
        print(json.dumps(rows, indent=2))
    else:
        for r in rows:
            print(f"{r['username']:<22} {'active' if r['active'] else 'inactive':<9} "
                  f"{r['agency'] or '-':<45} {', '.join(r['roles'])}")
    return 0


def cmd_audit(args):
    from soclocal.core import audit

    result = audit.verify()
    if result.ok:
        print(f"OK: the audit chain of {result.count} events is intact.")
        return 0
    where = f"event #{result.broken_seq} (id {result.broken_id})" if result.broken_seq else "the end of the chain"
    print(f"BROKEN at {where}: {result.reason}.", file=sys.stderr)
    return 1


def cmd_generate_scale(args):
    if args.scale <= 0:
        print(f"--scale: {args.scale} is not a positive number (1 is national size).",
              file=sys.stderr)
        return 2
    from soclocal.scale import generate

    made = generate(args.scale, seed=args.seed, progress=_progress_printer("Generating"))
    print(f"Added {made.young_people:,} young people with {made.cases:,} cases, "
          f"{made.audit_events:,} audit events, {made.intelligence_reports:,} intelligence "
          f"reports, {made.bids:,} bids and {made.ballots:,} ballots "
          f"({made.practitioners:,} synthetic practitioners).")
    print(f"Added {made.nrm_referrals:,} NRM referrals, {made.places:,} places of concern, "
          f"{made.vulnerable_adults:,} adults at risk, {made.mace_referrals:,} MACE referrals "
          f"at {made.panels:,} panels, {made.peer_maps:,} peer-group maps, {made.services:,} "
          f"services, {made.threats:,} threats, {made.actions:,} actions in "
          f"{made.plans:,} plans and {made.requirements:,} intelligence requirements.")
    return 0


def cmd_import(args):
    if args.kind == "crime":
        return _import_crime(args)
    from soclocal.areas.imports import run_import
    from soclocal.core.imports import ImportFailed

    for path in args.paths:
        try:
            result = run_import(args.kind, path, progress=_progress_printer(os.path.basename(path)))
        except ImportFailed as failure:
            print(f"Import failed: nothing was changed. {len(failure.errors)} problem(s) in {path}:",
                  file=sys.stderr)
            for error in failure.errors[:100]:
                print(f"  {error}", file=sys.stderr)
            if len(failure.errors) > 100:
                print(f"  ... and {len(failure.errors) - 100} more.", file=sys.stderr)
            return 1
        print(result)
    return 0


def _read_crime_ahead(args):
    """A crime import's files are read, and its geography loaded, while Django starts
    (decision 69)."""
    if args.kind == "crime":
        from soclocal.crime.readahead import ReadAhead

        args.ahead = ReadAhead(args.paths)


def _import_crime(args):
    import shutil

    from django.conf import settings

    from soclocal.crime.imports import CrimeImportFailed, import_paths

    def keep_rejects(path):
        if path and args.rejects_file:
            shutil.copyfile(path, args.rejects_file)
            return args.rejects_file
        return path

    try:
        record = import_paths(args.paths, accept_rejects=args.accept_rejects,
                              progress=_progress_printer("crime"),
                              ahead=getattr(args, "ahead", None))
    except CrimeImportFailed as failure:
        print(f"Import failed: nothing was changed. {failure.total} problem(s):", file=sys.stderr)
        for error in failure.errors[:100]:
            print(f"  {error}", file=sys.stderr)
        if failure.total > 100:
            print(f"  ... and {failure.total - 100} more.", file=sys.stderr)
        print(f"Every problem is listed in {keep_rejects(failure.rejects_file)}", file=sys.stderr)
        return 1
    except OSError as failure:  # the disk is full, a file cannot be read or written
        print(f"Import failed: nothing was changed. {_os_problem(failure)}", file=sys.stderr)
        return 1
    for f in record.files:
        what = f["skipped"] or f"{f['rows']:,} rows" + (
            f", {f['rejected']:,} rejected" if f["rejected"] else "")
        print(f"  {f['name']}: {f['kind'] or '?'} {f['force']} {f['month']}: {what}")
    print(f"Imported {record.rows_in:,} rows (import {record.pk}).")
    for note in record.notes:
        print(f"Note: {note}.")
    if record.rejects_file:
        print(f"{record.rows_rejected:,} rows were rejected; they are listed in "
              f"{keep_rejects(str(settings.DATA_DIR / record.rejects_file))}")
    return 0


def _os_problem(failure: OSError) -> str:
    import errno

    where = f" ({failure.filename})" if failure.filename else ""
    if failure.errno == errno.ENOSPC:
        return f"The disk is full{where}: free some space, then run the import again."
    return f"{failure.strerror or failure}{where}."


def cmd_create_admin(args):
    from django.core.exceptions import ValidationError

    from soclocal.accounts import services
    from soclocal.core.access import Role

    services.get_or_create_partnership(args.partnership)
    from soclocal.accounts.models import Agency

    agency = Agency.objects.filter(name=args.agency).first() or services.create_agency(
        None, name=args.agency, kind=args.kind)
    try:
        user, link = services.create_account(
            None, username=args.username, first_name=args.first_name, last_name=args.last_name,
            email=args.email, agency=agency, team=None, roles=[Role.PARTNERSHIP_ADMIN])
    except ValidationError as e:
        print("; ".join(sum(e.message_dict.values(), [])), file=sys.stderr)
        return 1
    print(f"Created {user.username} at {agency.name}. One-time link to set the password:")
    print(f"  {args.base_url.rstrip('/')}{link}")
    return 0


def cmd_profile(args):
    from django.core.exceptions import ValidationError

    if args.area.lower() == "national":
        return _national_summary(args)
    from soclocal.core import engines
    from soclocal.profiles.areas import AmbiguousArea, find_area
    from soclocal.profiles.exports import render_file
    from soclocal.profiles.services import build_profile

    try:
        area = find_area(args.area)
        con = engines.connect(args.engine)
        try:
            version = build_profile(None, area, args.month_from, args.month_to,
                                    progress=_progress_printer(f"Profile of {area.name}"),
                                    con=con)
        finally:
            con.close()
    except (AmbiguousArea, engines.EngineUnavailable) as e:
        print(str(e), file=sys.stderr)
        return 1
    except ValidationError as e:
        print("; ".join(sum(e.message_dict.values(), [])), file=sys.stderr)
        return 1
    content, _type, _name = render_file(version, args.format, sharing=args.sharing)
    saved = f"Saved profile {version.pk} (version {version.version}) of {area.name}"
    if not args.out:  # printed, so it can be piped; the note goes to the error stream
        if isinstance(content, str):
            sys.stdout.write(content)
        else:
            sys.stdout.buffer.write(content)
        print(f"{saved}.", file=sys.stderr)
        return 0
    mode = "w" if isinstance(content, str) else "wb"
    with open(args.out, mode, **({"encoding": "utf-8"} if mode == "w" else {})) as out:
        out.write(content)
    print(f"{saved}; wrote {args.out}.")
    return 0


def _national_summary(args):
    """`soclocal profile national`: every local authority in one table."""
    from django.core.exceptions import ValidationError

    from soclocal.profiles.analytics import national_csv, national_summary
    from soclocal.profiles.selectors import current_weights
    from soclocal.profiles.services import validate_period

    if args.format not in ("json", "csv"):
        print("The national summary is written as json or csv (--format json|csv).",
              file=sys.stderr)
        return 2
    try:
        validate_period(args.month_from, args.month_to)
    except ValidationError as e:
        print("; ".join(sum(e.message_dict.values(), [])), file=sys.stderr)
        return 1
    summary = national_summary(args.month_from, args.month_to, weights=current_weights())
    text = (json.dumps(summary, indent=2, ensure_ascii=False) + "\n" if args.format == "json"
            else national_csv(summary))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(text)
        print(f"Wrote the national summary of {len(summary['local_authorities'])} local "
              f"authorities to {args.out}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_star(args):
    from soclocal.cases.models import StarInstrument
    from soclocal.cases.star import load_descriptors
    from soclocal.core.imports import ImportFailed

    instrument = None
    if getattr(args, "star", None):
        instrument = StarInstrument.objects.filter(name__iexact=args.star).first()
        if instrument is None:
            names = ", ".join(StarInstrument.objects.values_list("name", flat=True))
            print(f"There is no star called '{args.star}'. The stars are: {names or 'none'}.",
                  file=sys.stderr)
            return 1
    try:
        count = load_descriptors(args.path, instrument)
    except ImportFailed as failure:
        print(f"Import failed: nothing was changed. {len(failure.errors)} problem(s) in "
              f"{args.path}:", file=sys.stderr)
        for error in failure.errors[:100]:
            print(f"  {error}", file=sys.stderr)
        if len(failure.errors) > 100:
            print(f"  ... and {len(failure.errors) - 100} more.", file=sys.stderr)
        return 1
    print(f"Loaded {count} descriptors for the outcomes star.")
    return 0


def cmd_match_people(args):
    """Pairs of records in a people file that are probably the same person (no database)."""
    from pathlib import Path

    from soclocal.core import matching
    from soclocal.core.imports import ImportFailed
    from soclocal.intelligence.bulk import read_records

    mapping = dict(c.split("=", 1) for c in args.column or [] if "=" in c)
    try:
        records = read_records(Path(args.path), mapping=mapping)
        threshold = matching.DEFAULT_THRESHOLD if args.threshold is None else args.threshold
        pairs = matching.find_pairs("person", records, threshold=threshold)
    except ImportFailed as e:
        print(f"Nothing matched: the file has problems.\n{e}", file=sys.stderr)
        return 1
    out = open(args.out, "w", newline="", encoding="utf-8") if args.out else sys.stdout
    try:
        if args.format == "csv":
            out.write(matching.pairs_csv(pairs))
        else:
            json.dump([matching.pair_as_dict(p) for p in pairs], out, indent=1)
            out.write("\n")
    finally:
        if args.out:
            out.close()
    print(f"{len(pairs)} pairs at or above {threshold} among {len(records)} records.",
          file=sys.stderr)
    return 0


def _column_mapping(columns) -> dict:
    """FIELD=HEADER options as {field: header}."""
    mapping = {}
    for option in columns or []:
        field, sep, header = option.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise argparse.ArgumentTypeError(f"--column '{option}' is not FIELD=HEADER")
        mapping[field.strip()] = header.strip()
    return mapping


def _print_problems(failure, what):
    print(f"Import failed: nothing was changed. {len(failure.errors)} problem(s) in {what}:",
          file=sys.stderr)
    for error in failure.errors[:100]:
        print(f"  {error}", file=sys.stderr)
    if len(failure.errors) > 100:
        print(f"  ... and {len(failure.errors) - 100} more.", file=sys.stderr)


def cmd_intel(args):
    from django.core.exceptions import ValidationError

    from soclocal.intelligence.services import intelligence_agency

    if intelligence_agency() is None:
        print("No police force is set up in the partnership to hold intelligence. Add one first: "
              "as a partnership admin under Partnership, or with `soclocal create-admin USERNAME "
              "--first-name .. --last-name .. --agency \"Name of the force\" --kind police`.",
              file=sys.stderr)
        return 1
    try:
        return {"import": _intel_import, "duplicates": _intel_duplicates,
                "export": _intel_export}[args.action](args)
    except ValidationError as e:
        print("; ".join(sum(e.message_dict.values(), [])), file=sys.stderr)
        return 1
    except OSError as e:
        print(f"Cannot use {e.filename or 'the file'}: {e.strerror or e}.", file=sys.stderr)
        return 1


def _intel_import(args):
    from pathlib import Path

    from soclocal.core.imports import ImportFailed
    from soclocal.intelligence.services import import_bulk

    path = Path(args.path)
    if not path.is_file():
        print(f"There is no file {path}.", file=sys.stderr)
        return 1
    try:
        mapping = _column_mapping(args.column)
        files = {args.kind: (path, path.name), f"mapping_{args.kind}": mapping}
        result = import_bulk(None, progress=_progress_printer(path.name), **files)
    except argparse.ArgumentTypeError as e:
        print(str(e), file=sys.stderr)
        return 2
    except ImportFailed as failure:
        _print_problems(failure, path)
        return 1
    print(f"Imported {result['people']} people and {result['links']} links from {path}.")
    return 0


def _intel_duplicates(args):
    from soclocal.core import matching
    from soclocal.intelligence.models import Entity
    from soclocal.intelligence.selectors import suggested_pairs

    people = Entity.objects.filter(owning_agency=_police())
    pairs, _ = suggested_pairs(people, args.threshold)
    out = open(args.out, "w", newline="", encoding="utf-8") if args.out else sys.stdout
    try:
        if args.format == "csv":
            matching.write_pairs_csv(pairs, out)
        else:
            json.dump([matching.pair_as_dict(p) for p in pairs], out, indent=1)
            out.write("\n")
    finally:
        if args.out:
            out.close()
    threshold = matching.DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    from soclocal.core import audit

    audit.record("intelligence.duplicates.listed", detail={
        "pairs": [[p.left, p.right] for p in pairs], "threshold": threshold,
        "out": str(args.out or "")})
    print(f"{len(pairs)} suggested pairs at or above {threshold}.", file=sys.stderr)
    return 0


def _police():
    from soclocal.intelligence.services import intelligence_agency

    return intelligence_agency()


def _intel_export(args):
    from soclocal.core import audit
    from soclocal.intelligence import exports
    from soclocal.intelligence.models import Entity, Link

    police = _police()
    with open(args.out, "wb") as out:
        entities, links = exports.write(args.format, out,
                                        Entity.objects.filter(owning_agency=police),
                                        Link.objects.filter(owning_agency=police))
    audit.record("intelligence.network.exported", detail={
        "format": args.format, "entities": entities, "links": links, "out": str(args.out)})
    print(f"Wrote {entities} entities and {links} links to {args.out}.")
    return 0


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("a threshold is a probability from 0 to 1")
    return value


def cmd_safeguarding(args):
    from soclocal.core.imports import ImportFailed
    from soclocal.safeguarding.imports import import_indicators

    try:
        result = import_indicators(args.path, progress=_progress_printer(os.path.basename(args.path)))
    except ImportFailed as failure:
        print(f"Import failed: nothing was changed. {len(failure.errors)} problem(s) in {args.path}:",
              file=sys.stderr)
        for error in failure.errors[:100]:
            print(f"  {error}", file=sys.stderr)
        return 1
    print(result)
    return 0


def _window_months(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of months") from None
    if not 1 <= value <= 60:
        raise argparse.ArgumentTypeError("the window must be 1 to 60 months")
    return value


def cmd_evaluate(args):
    """The standalone evaluation: files in, a report out; nothing is saved."""
    from soclocal.core.imports import ImportFailed
    from soclocal.evaluation import report
    from soclocal.evaluation.outcomes import DEFAULT_WINDOWS
    from soclocal.evaluation.standalone import evaluate_files

    windows = (args.window_months, *[w for w in DEFAULT_WINDOWS if w != args.window_months])
    try:
        doc = evaluate_files(args.cohort, args.police_people, args.police_events,
                             windows=windows)
    except ImportFailed as failure:
        print(f"Nothing was evaluated: {len(failure.errors)} problem(s) in the files:",
              file=sys.stderr)
        for error in failure.errors[:100]:
            print(f"  {error}", file=sys.stderr)
        if len(failure.errors) > 100:
            print(f"  ... and {len(failure.errors) - 100} more.", file=sys.stderr)
        return 1
    if args.sharing:
        doc = report.sharing_version(doc)
    content, _type = report.render(doc, args.format, title=doc["title"])
    mode = "w" if isinstance(content, str) else "wb"
    with open(args.out, mode, **({"encoding": "utf-8"} if mode == "w" else {})) as out:
        out.write(content)
    link = doc["linkage"]
    print(f"Found {link['found']} of {link['cohort']} young people in the police data; "
          f"wrote {args.out}.")
    return 0


def cmd_evaluation(args):
    from soclocal.core.imports import ImportFailed
    from soclocal.evaluation.services import import_police

    try:
        extract = import_police(None, args.people, args.events)
    except ImportFailed as failure:
        _print_problems(failure, "the police extract")
        return 1
    print(f"Imported police extract {extract.pk}: {extract.people_rows} people and "
          f"{extract.event_rows} events ({extract.data_from} to {extract.data_to}).")
    return 0


def cmd_manage(args):
    from django.core.management import execute_from_command_line

    execute_from_command_line(["soclocal manage", *args.rest])
    return 0


CONTACT_RULES = ("contact-checks", "bid-contacts", "join-request-contacts",
                 "community-report-contacts", "community-report-address-keys")


def cmd_forget_contacts(args):
    """The contact-details rules of `retention --apply` (kept for existing schedules)."""
    args.apply, args.rule, args.format, args.batch = True, list(CONTACT_RULES), "text", 200
    return cmd_retention(args)


def cmd_retention(args):
    from soclocal.core import retention

    names = {b.rule.name for b in retention.rules()}
    unknown = [r for r in (args.rule or []) if r not in names]
    if unknown:
        print(f"No retention rule is called {', '.join(unknown)}. The rules are: "
              f"{', '.join(sorted(names))}.", file=sys.stderr)
        return 2

    def progress(bound, done):
        print(f"  {bound.rule.name}: {done} done", file=sys.stderr)

    results = retention.run(apply_changes=args.apply, only=set(args.rule or []) or None,
                            batch=args.batch, on_batch=progress)
    if args.format == "json":
        print(json.dumps(results, indent=1))
        return 0
    verb = {"delete": "deleted", "anonymise": "anonymised", "review": "listed for review"}
    due = [r for r in results if r["due"]]
    for r in due:
        ids = ", ".join(str(i) for i in r["ids"][:20]) + (" ..." if len(r["ids"]) > 20 else "")
        line = f"{r['rule']}: {r['due']} {r['model']} due ({r['period']}; then {r['action']})"
        if args.apply:
            line += f": {r['done']} {verb[r['action']]}"
        print(f"{line}\n    ids {ids}")
    total = sum(r["due"] for r in due)
    if not due:
        print("Nothing is due under any retention rule.")
    elif not args.apply:
        print(f"{total} records due under {len(due)} rules. Nothing was changed (dry run); "
              "--apply deletes or anonymises them.")
    return 0


def cmd_sar(args):
    from django.core.exceptions import ValidationError

    from soclocal.core import subject_access as sar

    try:
        report = sar.gather(args.person, purpose=args.purpose or "")
    except sar.NotFound as e:
        print(str(e), file=sys.stderr)
        return 1
    except ValidationError as e:
        print("; ".join(e.messages), file=sys.stderr)
        return 1
    with open(args.out, "wb") as out:
        out.write(sar.export_zip(report))
    who = "; ".join(f"{s.kind} {s.label}" for s in report.subjects)
    print(f"Wrote {args.out}: {sum(len(p.records) for p in report.parts)} records and "
          f"{len(report.audit_events)} audit events about {who}; {len(report.redactions)} "
          "redactions of other people's details to check (redactions.json) before release.")
    return 0


def cmd_backup(args):
    from soclocal.core import backup

    try:
        manifest = backup.backup(args.out)
    except backup.BackupError as e:
        print(str(e), file=sys.stderr)
        return 1
    from soclocal.core import audit

    audit.record("backup.taken", detail={"out": str(args.out), "files": len(manifest["files"]),
                                         "audit_head": manifest["audit_head"]})
    print(f"Wrote {args.out}: the {manifest['engine']} database and "
          f"{len(manifest['files']) - 1} files, audit chain head #{manifest['audit_head']['seq']} "
          f"{manifest['audit_head']['hash'][:16]}.")
    return 0


def cmd_restore(args):
    from soclocal.core import backup

    try:
        result = backup.restore(args.path, data_dir=args.data_dir, replace=args.replace)
    except backup.BackupError as e:
        print(str(e), file=sys.stderr)
        return 1
    print(f"Restored {args.path} into {args.data_dir or 'the data directory'}: every checksum "
          f"matched and the audit chain of {result['events']} events verifies, ending at "
          f"{result['head'][:16]} as the backup recorded.")
    return 0


def cmd_pb(args):
    from soclocal.core.imports import ImportFailed

    try:
        if args.action == "allocate":
            return _pb_allocate(args)
        if args.action == "import":
            from soclocal.budgeting.services import import_pb

            process = import_pb(args.path, name=args.name)
            print(f"Imported {process.name} as process {process.pk} ({process.slug}): "
                  f"{process.bids.count()} bids, {process.ballots.count()} ballots.")
            return 0
        from soclocal.budgeting.models import Process
        from soclocal.budgeting.services import export_pb

        process = Process.objects.filter(slug=args.path).first() or (
            Process.objects.filter(pk=args.path).first() if args.path.isdecimal() else None)
        if process is None:
            print(f"There is no process '{args.path}'.", file=sys.stderr)
            return 1
        text = export_pb(None, process)
        if args.output:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            sys.stdout.write(text)
        return 0
    except (ValueError, ArithmeticError) as e:
        # A file that reads correctly but that the rule cannot work with.
        print(f"The result could not be computed for {args.path}: {e}", file=sys.stderr)
        return 1
    except ImportFailed as failure:
        print(f"{len(failure.errors)} problem(s) in {args.path}; nothing was done:", file=sys.stderr)
        for error in failure.errors[:100]:
            print(f"  {error}", file=sys.stderr)
        return 1


def _plain_number(value):
    return int(value) if value == value.to_integral_value() else float(value)


def _whole_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative: give 0 or more")
    return value


def _pb_allocate(args):
    from decimal import Decimal

    from soclocal.budgeting import pabulib, rules

    election = pabulib.parse(args.path)
    instance, profile = election.to_pabutools()
    funded = rules.allocate(instance, profile, args.rule, args.increment)
    costs = {p.project_id: p.cost for p in election.projects}
    total = sum((costs[pid] for pid in funded), Decimal(0))
    if args.format == "json":
        extra = {}
        if args.rule == rules.MES:
            step = rules.mes_increment(instance, profile) if args.increment is None \
                else args.increment
            extra["increment"] = _plain_number(Decimal(step))
        print(json.dumps({"rule": args.rule, **extra, "selected": funded,
                          "costs": {pid: _plain_number(costs[pid]) for pid in funded},
                          "total": _plain_number(total),
                          "budget": _plain_number(election.budget)}, indent=2))
    else:
        for pid in funded:
            print(pid)
    return 0


def cmd_notifications(args):
    from datetime import date

    from soclocal.core import notifications

    try:
        today = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        print(f"--date: \"{args.date}\" is not a date; write it as YYYY-MM-DD.", file=sys.stderr)
        return 2
    if args.action == "send-due":
        result = notifications.send_due(today)
    else:
        result = {"notified": 0, "digests": notifications.send_digests(today)}
    print(f"{result['notified']} notifications sent, {result['digests']} daily digests sent.")
    return 0


def cmd_translations(args):
    from soclocal.core import translations

    if args.check:
        out_of_date = translations.stale()
        for po in out_of_date:
            print(f"{po}: its .mo is out of date; run `soclocal translations`.", file=sys.stderr)
        return 1 if out_of_date else 0
    written = translations.compile_all()
    print(f"{len(written)} of {len(translations.catalogues())} catalogues compiled.")
    return 0


def build_parser():
    p = argparse.ArgumentParser(prog="soclocal", description="A local partnership's shared system "
                                "for responding to serious organised crime.")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("init", help="create or upgrade the database; load nothing else").set_defaults(func=cmd_init)

    d = sub.add_parser("demo", help="set up the demo partnership and serve it")
    d.add_argument("--no-serve", action="store_true", help="set up and load, then exit")
    d.add_argument("--place", choices=["nottingham", "glasgow"], default="nottingham",
                   help="the demo partnership: Nottingham (default), or Glasgow with Scottish "
                        "data zones, SIMD and a synthetic Police Scotland extract")
    d.add_argument("--port", type=int)
    d.set_defaults(func=cmd_demo)

    s = sub.add_parser("serve", help="serve the web application")
    s.add_argument("--port", type=int)
    s.add_argument("--host")
    s.set_defaults(func=cmd_serve)

    w = sub.add_parser("worker", help="run background work (imports, analyses)")
    w.add_argument("--once", action="store_true", help="run what is queued, then exit")
    w.set_defaults(func=cmd_worker)

    u = sub.add_parser("users", help="list every account")
    u.add_argument("--format", choices=["json", "table"], default="table")
    u.set_defaults(func=cmd_users)

    a = sub.add_parser("audit", help="check the audit trail")
    a.add_argument("action", choices=["verify"])
    a.set_defaults(func=cmd_audit)

    gs = sub.add_parser("generate-scale", help="add synthetic records at national size (100,000 "
                        "young people and cases, a million audit events, ...) to measure pages")
    gs.add_argument("--scale", type=float, default=1.0,
                    help="fraction of the national sizes (0.01 for a quick run)")
    gs.add_argument("--seed", type=int, default=14)
    gs.set_defaults(func=cmd_generate_scale)

    i = sub.add_parser("import", help="import geography, deprivation or police.uk crime files "
                                      "(all or nothing)")
    i.add_argument("kind", choices=["boundaries", "lookups", "deprivation", "population", "crime"])
    i.add_argument("paths", nargs="+", metavar="PATH")
    i.add_argument("--accept-rejects", action="store_true",
                   help="crime: import the good rows and keep the bad ones for review")
    i.add_argument("--rejects-file", metavar="PATH",
                   help="crime: also write the rejected rows to this CSV file")
    i.set_defaults(func=cmd_import, before_django=_read_crime_ahead)

    c = sub.add_parser("create-admin", help="create the first partnership admin account")
    c.add_argument("username")
    c.add_argument("--first-name", required=True)
    c.add_argument("--last-name", required=True)
    c.add_argument("--email", default="")
    c.add_argument("--agency", required=True, help="the admin's agency (created if new)")
    c.add_argument("--kind", default="community_safety", help="the agency's kind if it is new")
    c.add_argument("--partnership", default="Local partnership", help="the partnership's name")
    c.add_argument("--base-url", default="http://127.0.0.1:8000")
    c.set_defaults(func=cmd_create_admin)

    fc = sub.add_parser("forget-contacts", help="the contact-details rules of `retention "
                        "--apply` (bidders, requests to join a group, community reports)")
    fc.set_defaults(func=cmd_forget_contacts)

    rt = sub.add_parser("retention", help="list (--dry-run) or apply (--apply) what is due "
                        "under each retention rule; audited, in batches, safe to re-run")
    mode = rt.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="list what is due; change nothing")
    mode.add_argument("--apply", action="store_true",
                      help="delete or anonymise what is due; list records due for review")
    rt.add_argument("--rule", action="append", metavar="NAME",
                    help="only this rule (repeatable)")
    rt.add_argument("--batch", type=_whole_number, default=200, metavar="N",
                    help="records per transaction (default 200)")
    rt.add_argument("--format", choices=["text", "json"], default="text")
    rt.set_defaults(func=cmd_retention)

    sr = sub.add_parser("sar", help="subject access: everything held about one person, as a "
                        "zip of a PDF and JSON with other people's details redacted")
    sr.add_argument("person", metavar="PERSON", help="a case reference (Case 12, C12 or 12) "
                    "for a young person, a user name or email address for staff, the email "
                    "address a bidder or resident gave, or a family member's phone number")
    sr.add_argument("--out", "-o", required=True, metavar="FILE.zip")
    sr.add_argument("--purpose", metavar="TEXT", help="the request's reference, for the audit")
    sr.set_defaults(func=cmd_sar)

    bk = sub.add_parser("backup", help="back up the database, crime store and files while "
                        "the system runs, with a checksum manifest and the audit chain's head")
    bk.add_argument("--out", "-o", required=True, metavar="FILE.tar.gz")
    bk.set_defaults(func=cmd_backup)

    rs = sub.add_parser("restore", help="restore a backup after checking every checksum, then "
                        "verify the restored audit chain against the backup's")
    rs.add_argument("path", metavar="FILE")
    rs.add_argument("--data-dir", metavar="DIR", help="restore into this data directory "
                    "(default: SOCLOCAL_DATA_DIR)")
    rs.add_argument("--replace", action="store_true",
                    help="overwrite a database and files already there")
    rs.set_defaults(func=cmd_restore)

    pb = sub.add_parser("pb", help="participatory budgeting: allocate, import or export .pb files")
    pb.add_argument("action", choices=["allocate", "import", "export"])
    pb.add_argument("path", metavar="FILE_OR_PROCESS",
                    help="a pabulib .pb file (allocate, import) or a process's slug or id (export)")
    pb.add_argument("--rule", choices=["greedy", "mes"], default="greedy")
    pb.add_argument("--format", choices=["text", "json"], default="text")
    pb.add_argument("--increment", type=_whole_number, metavar="MONEY",
                    help="allocate with mes: money added to each voter's share at each step "
                         "of the completion (default: a thousandth of the budget per voter, "
                         "at least 1); 0 for Equal Shares without completion")
    pb.add_argument("--name", help="import: the process's name (default: the file's description)")
    pb.add_argument("--output", "-o", help="export: write to this file instead of the screen")
    pb.set_defaults(func=cmd_pb)

    pr = sub.add_parser("profile", help="build and save a problem profile, and write it to a "
                        "file; `profile national`: every local authority's counts, rates and "
                        "harm in one table")
    pr.add_argument("area", metavar="AREA", help="a code or exact name of any area, or "
                    "`national` for the national summary")
    pr.add_argument("--from", dest="month_from", required=True, metavar="YYYY-MM")
    pr.add_argument("--to", dest="month_to", required=True, metavar="YYYY-MM")
    pr.add_argument("--format", choices=["html", "pdf", "json", "csv"], default="html",
                    help="html, pdf, json or csv (the national summary: json or csv)")
    pr.add_argument("--out", metavar="PATH", help="the file to write (without it the "
                    "profile or summary is printed)")
    pr.add_argument("--sharing", action="store_true", help="hide small counts, for sharing")
    pr.add_argument("--engine", choices=["duckdb", "spark"], default=None,
                    help="what runs the analytics SQL (default: SOCLOCAL_ANALYTICS_ENGINE, "
                         "else duckdb)")
    pr.set_defaults(func=cmd_profile)

    st = sub.add_parser("star", help="the outcomes star: load licensed descriptors")
    st.add_argument("action", choices=["load-descriptors"])
    st.add_argument("path", metavar="FILE.csv",
                    help="a CSV with columns area, score, descriptor (all or nothing)")
    st.add_argument("--star", metavar="NAME",
                    help="the star to load them into (default: the default star)")
    st.set_defaults(func=cmd_star)

    mp = sub.add_parser("match-people", help="find records in a people file (CSV or .xlsx) "
                        "that are probably the same person; reads only the file")
    mp.add_argument("path", metavar="FILE", help="people in the default layout: reference, "
                    "forenames, surname, date_of_birth, address, postcode, phone, source")
    mp.add_argument("--column", action="append", metavar="FIELD=HEADER",
                    help="read FIELD from the column headed HEADER (repeatable)")
    mp.add_argument("--threshold", type=_probability, default=None,
                    help="the lowest probability to show (default: the model's default)")
    mp.add_argument("--format", choices=["json", "csv"], default="json")
    mp.add_argument("--out", "-o", metavar="PATH", help="write here instead of the screen")
    mp.set_defaults(func=cmd_match_people)

    it = sub.add_parser("intel", help="intelligence: import people or links, list suspected "
                        "duplicate people, export the network")
    isub = it.add_subparsers(dest="action", required=True)
    ii = isub.add_parser("import", help="import people or links from a CSV or .xlsx file "
                         "(all or nothing), owned by the partnership's police force")
    ii.add_argument("kind", choices=["people", "links"])
    ii.add_argument("path", metavar="FILE", help="people: reference, forenames, surname, "
                    "date_of_birth, address, postcode, phone, source; links: from_reference, "
                    "to_reference, kind, start, end, source")
    ii.add_argument("--column", action="append", metavar="FIELD=HEADER",
                    help="read FIELD from the column headed HEADER (repeatable)")
    idu = isub.add_parser("duplicates", help="pairs of people held that are probably the "
                          "same person, by reference")
    idu.add_argument("--threshold", type=_probability, default=None,
                     help="the lowest probability to show (default: the model's default)")
    idu.add_argument("--format", choices=["json", "csv"], default="json")
    idu.add_argument("--out", "-o", metavar="PATH", help="write here instead of the screen")
    ie = isub.add_parser("export", help="export the whole network for other tools")
    ie.add_argument("--format", choices=["ftm", "gexf", "graphml"], required=True)
    ie.add_argument("--out", "-o", metavar="PATH", required=True)
    it.set_defaults(func=cmd_intel)
    sg = sub.add_parser("safeguarding", help="vulnerability indicators: import partners' figures")
    sg.add_argument("action", choices=["import-indicators"])
    sg.add_argument("path", metavar="FILE", help="a CSV with columns area_code, period, indicator, "
                    "count and optionally denominator (all or nothing)")
    sg.set_defaults(func=cmd_safeguarding)
    nt = sub.add_parser("notifications", help="send what has fallen due (actions assigned or "
                        "overdue, reviews due, meeting invitations) and the daily digests; "
                        "each at most once, so safe to run often")
    nt.add_argument("action", choices=["send-due", "digest"])
    nt.add_argument("--date", metavar="YYYY-MM-DD", help="treat this as today (default: today)")
    nt.set_defaults(func=cmd_notifications)

    ev = sub.add_parser("evaluate", help="evaluate outcomes from a cohort file and a police "
                        "extract, and write the report; reads only the files")
    ev.add_argument("--cohort", required=True, metavar="COHORT.csv",
                    help="ref, forenames, surname, date_of_birth, postcode, referral_date, "
                         "engaged (yes/no), area_code")
    ev.add_argument("--police-people", required=True, metavar="PEOPLE.csv",
                    help="police_ref, forenames, surname, date_of_birth, postcode")
    ev.add_argument("--police-events", required=True, metavar="EVENTS.csv",
                    help="police_ref, date, kind, offence_group")
    ev.add_argument("--window-months", type=_window_months, default=12, metavar="N",
                    help="months before and after referral (default 12; 6 and 12 are "
                         "also shown)")
    ev.add_argument("--format", choices=["json", "html", "pdf"], default="html")
    ev.add_argument("--out", required=True, metavar="PATH")
    ev.add_argument("--sharing", action="store_true",
                    help="the sharing version: small counts hidden")
    ev.set_defaults(func=cmd_evaluate)

    en = sub.add_parser("evaluation", help="outcome evaluation: import a police extract")
    en.add_argument("action", choices=["import-police"])
    en.add_argument("people", metavar="PEOPLE.csv",
                    help="police_ref, forenames, surname, date_of_birth, postcode")
    en.add_argument("events", metavar="EVENTS.csv", help="police_ref, date, kind, offence_group")
    en.set_defaults(func=cmd_evaluation)

    tr = sub.add_parser("translations", help="compile the translation catalogues (.po to .mo), "
                        "or --check that they are up to date")
    tr.add_argument("--check", action="store_true")
    tr.set_defaults(func=cmd_translations)
    m = sub.add_parser("manage", help="run a Django management command")
    m.add_argument("rest", nargs=argparse.REMAINDER)
    m.set_defaults(func=cmd_manage)
    return p


def _needs_database(args) -> bool:
    """Every command but these works on the database: init and demo set it up, manage is
    Django's own, and allocating a .pb file, matching people, the standalone evaluation or a
    restore read only the files."""
    return args.command not in ("init", "demo", "manage", "match-people", "evaluate",
                                "restore", "translations") and not (
        args.command == "pb" and args.action == "allocate")


def _database_ready() -> bool:
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        if _every_migration_recorded(connection):
            return True  # nothing can be left to apply
    except DatabaseError:
        return False
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def _every_migration_recorded(connection) -> bool:
    """Whether every migration file of every app is recorded as applied: read from the file
    names, without loading the migration modules as Django's migration graph does (a good
    part of a command's start-up). False says only "look properly"."""
    import pkgutil
    from importlib import import_module

    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return False
    applied = set(recorder.applied_migrations())
    for app in apps.get_app_configs():
        name, _ = MigrationLoader.migrations_module(app.label)
        if name is None:
            continue
        try:
            package = import_module(name)
        except ImportError:
            continue
        for found in pkgutil.iter_modules(getattr(package, "__path__", [])):
            if (not found.ispkg and found.name[0] not in "_~"
                    and (app.label, found.name) not in applied):
                return False
    return True


def main(argv=None):
    # Start-up makes many objects and frees few: collecting garbage meanwhile is wasted work.
    gc.disable()
    args = build_parser().parse_args(argv)
    if hasattr(args, "before_django"):
        args.before_django(args)  # work that needs nothing from Django starts first
    _django()
    gc.enable()
    if _needs_database(args) and not _database_ready():
        from django.conf import settings

        print(f"The database in {settings.DATA_DIR} is not set up, or is from an older "
              "version: run `soclocal init` first (it is safe to run again).", file=sys.stderr)
        return 1
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        return 130


def run():
    """The `soclocal` command: `main`, then the process ends at once. Tearing down Django and
    the libraries a command has loaded frees every object one by one, a tenth of a second
    that writes nothing; the output and logs are flushed first. (`--help` and mistakes in
    the arguments end inside `main`, as usual.)"""
    code = main()
    import logging

    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()  # a database server is told the session ended
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 1)


if __name__ == "__main__":
    run()
