#!/usr/bin/env python3
"""Push a call with its recording to Service QA, then read back its evaluation once a reviewer has
released it. The example of the README's "API" section; needs only `requests`.

    export SQA_URL=https://qa.example.com SQA_TOKEN=sqa_...   # a read-and-write token (Account > API tokens)
    python scripts/api_example.py push --id CALL-2026-0001 --location N90 --employee N90-01 --recording call.wav
    python scripts/api_example.py evaluation --id CALL-2026-0001 --wait 600

Sending the same --id again does not make a second interaction: the API answers 200 with the first one."""

import argparse
import os
import sys
import time
from datetime import datetime, timezone

import requests

SOURCE = "example-telephony"


def session(url: str, token: str) -> requests.Session:
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    s.base = url.rstrip("/") + "/api/v1/"
    return s


def problem(response) -> str:
    """An error answer (application/problem+json) in one line: the detail and each field at fault."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    fields = "; ".join(f"{e['field']}: {e['message']}" for e in body.get("errors", []))
    return f"HTTP {response.status_code} {body.get('title')}: {body.get('detail')}" + (f" ({fields})" if fields else "")


def push(s, external_id, location, employee, recording, occurred_at=None) -> dict:
    data = {"source_system": SOURCE, "external_id": external_id, "channel": "phone_call",
            "location": location, "employee": employee,
            "occurred_at": occurred_at or datetime.now(timezone.utc).isoformat(timespec="seconds")}
    with open(recording, "rb") as audio:
        response = s.post(s.base + "interactions/", data=data, files={"recording": audio}, timeout=120)
    if response.status_code not in (200, 201):
        raise SystemExit(problem(response))
    body = response.json()
    print(("Created" if response.status_code == 201 else "Already there:"), f"interaction {body['id']}")
    return body


def evaluation(s, external_id, wait=0) -> dict | None:
    deadline = time.monotonic() + wait
    while True:
        found = s.get(s.base + "interactions/", params={"source_system": SOURCE, "external_id": external_id},
                      timeout=30)
        if found.status_code != 200:
            raise SystemExit(problem(found))
        results = found.json()["results"]
        if not results:
            raise SystemExit(f"No interaction with id {external_id}")
        if results[0]["evaluations"]:
            response = s.get(s.base + f"evaluations/{results[0]['evaluations'][-1]}/", timeout=30)
            if response.status_code != 200:
                raise SystemExit(problem(response))
            body = response.json()
            print(f"Evaluation {body['id']}: {body['overall_score']} % ({body['scorecard']})")
            for answer in body["answers"]:
                print(f"  {answer['question']}: {'N/A' if answer['na'] else answer['value']}")
            return body
        if time.monotonic() >= deadline:
            print("Not evaluated yet.")
            return None
        time.sleep(min(15, max(0.0, deadline - time.monotonic())))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("SQA_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--token", default=os.environ.get("SQA_TOKEN"))
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("push", help="send a call with its recording")
    p.add_argument("--id", required=True)
    p.add_argument("--location", required=True, help="the location's code")
    p.add_argument("--employee", default="", help="the employee's code")
    p.add_argument("--recording", required=True, help="a WAV, MP3, OGG or M4A file")
    p.add_argument("--occurred-at", help="ISO 8601, e.g. 2026-11-30T14:05:00+00:00 (default: now)")
    e = commands.add_parser("evaluation", help="read the call's released evaluation")
    e.add_argument("--id", required=True)
    e.add_argument("--wait", type=float, default=0, help="seconds to keep polling for it")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("give --token or set SQA_TOKEN")
    s = session(args.url, args.token)
    if args.command == "push":
        return push(s, args.id, args.location, args.employee, args.recording, args.occurred_at)
    return evaluation(s, args.id, args.wait)


if __name__ == "__main__":
    try:
        main()
    except requests.RequestException as exc:
        sys.exit(f"Could not reach the server: {exc}")
