"""Markdown tables of one or more `make bench` documents, for docs/performance.md.

    .venv/bin/python -m tests.bench.report var/bench/latest.json [more.json ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.bench.lists import GOAL


def _met(figure: dict) -> str:
    return "met" if figure.get("met") else "**missed**"


def _load(document: dict) -> str:
    before, after = document["host"]["load_average_before"], document["host"]["load_average_after"]
    return f"load average {before[0]:.1f} before, {after[0]:.1f} after"


def http_rows(section: str, kind: str, figures: dict) -> list[str]:
    rows = []
    for name, pair in figures.items():
        for operation in ("read", "write"):
            figure = pair[operation]
            rows.append(_http_row(section, kind, f"{name} {operation}", figure["subject"], figure["baseline"], figure))
            if "same_work" in figure:  # issue 19: against bare Flask + Core writing the same rows
                same = figure["same_work"]
                rows.append(_http_row(section, kind, f"{name} {operation} vs same work", figure["subject"],
                                      same["baseline"], same))
    return rows


def _http_row(section: str, kind: str, endpoint: str, subject: dict, baseline: dict, figure: dict) -> str:
    return (f"| {section} | {kind} | {endpoint} | {subject['requests_per_s']} ({subject['p50_ms']} / "
            f"{subject['p99_ms']}) | {baseline['requests_per_s']} ({baseline['p50_ms']} / {baseline['p99_ms']}) | "
            f"{figure['ratio']} (CPU {figure['cpu_ratio']}) | {figure['target']} | {_met(figure)} |")


def report(document: dict) -> str:
    lines = [f"Run of {document['generated_at']}, commit {document['commit']}, {_load(document)}; "
             f"settings {json.dumps(document['settings'])}.", ""]
    http = []
    for kind, figure in document.get("endpoints", {}).items():
        if "error" not in figure:
            http += http_rows("endpoints", kind, figure["services"])
    for kind, figure in document.get("tracing", {}).items():
        if "error" not in figure:
            http += http_rows("tracing on/off", kind, {"visits": figure})
    if http:
        lines += ["| figure | db | endpoint | subject req/s (p50 / p99 ms) | baseline req/s (p50 / p99 ms) "
                  "| ratio | goal | |", "| --- | --- | --- | --- | --- | --- | --- | --- |", *http, ""]
    for kind, figure in document.get("outbox_relay", {}).items():
        if "error" not in figure:
            lines.append(f"- outbox relay ({kind}, {figure['events']} pending): {figure['relay']['events_per_s']} "
                         f"events/s confirmed vs raw unconfirmed {figure['raw_unconfirmed']['events_per_s']}: "
                         f"ratio {figure['ratio_relay_to_raw_unconfirmed']} (goal >= 0.5, {_met(figure)}); "
                         f"raw with a confirm each {figure['raw_confirm_each']['events_per_s']}.")
    for kind, figure in document.get("consumer", {}).items():
        if "error" not in figure:
            lines.append(f"- consumer ({kind}, {figure['events']} events a round): "
                         f"{figure['consumer']['events_per_s']} events/s vs raw consume with ack "
                         f"{figure['raw_consume_ack']['events_per_s']}: ratio {figure['ratio']} "
                         f"(goal >= 0.4, {_met(figure)}).")
    for kind, figure in document.get("end_to_end", {}).items():
        for rate, pair in figure.items():
            if not isinstance(pair, dict) or "suite" not in pair:
                continue
            suite, floor = pair["suite"], pair["broker_floor"]
            lines.append(f"- end to end ({kind}) at {rate.replace('_per_s', '')}/s offered, "
                         f"{suite['achieved_rate_per_s']}/s achieved: p50 {suite['p50_ms']} ms, p99 {suite['p99_ms']} "
                         f"ms, max {suite['max_ms']} ms, {suite['missing']} missing, drain after load "
                         f"{suite['drain_after_load_s']} s; broker alone p50 {floor['p50_ms']} / p99 {floor['p99_ms']} "
                         f"/ max {floor['max_ms']} ms (p50 ratio {pair['p50_ratio_to_floor']}); stages p50: relay "
                         f"{suite['stages']['visit_to_relayed']['p50_ms']} ms, consumer "
                         f"{suite['stages']['relayed_to_inbox']['p50_ms']} ms.")
        if "target" in figure:
            lines.append(f"  Goal {figure['target']}: {_met(figure)}.")
    for figure in document.get("footprint", {}).values():
        if "error" not in figure:
            ready, rss, memory = figure["time_to_ready_s"], figure["rss_mb"], figure["memory_mb"]
            lines.append(f"- `chancery run` to every /readyz (webs, workers, console): {ready['suite']} s, the "
                         f"services' webs {ready['services_web']} s, {ready['cpu_s']} s of CPU (bare gunicorn "
                         f"{ready['bare_gunicorn']} s, ratio {ready['ratio']}; goal {ready['target']}, {_met(ready)}).")
            idle, loaded = memory["idle"], memory["under_load"]
            lines.append(f"- memory: {idle['pss']} MiB PSS ({idle['rss']} RSS) idle over {idle['processes']} "
                         f"processes, {loaded['pss']} MiB PSS ({loaded['rss']} RSS) at most under load (goal "
                         f"{memory['target']}, {_met(memory)}); PSS idle by process: "
                         + ", ".join(f"{name} {kind['pss']} ({kind['processes']})"
                                     for name, kind in idle["by_kind"].items()) + ".")
            for state, values in rss.items():
                lines.append(f"- resident memory, {state.replace('_', ' ')}: {values['suite']} MiB (bare x5 "
                             f"{values['bare_x5']} MiB, ratio {values['ratio']}).")
            for state, services in figure["scrape"].items():
                cells = ", ".join(f"{name} {values['metrics_ms']} ms ({values['ratio']}x /healthz, "
                                  f"{values['metrics_bytes']} B)" for name, values in services.items())
                lines.append(f"- /metrics scrape, {state.replace('_', ' ')}: {cells}.")
    lines += (fan_out_lines(document) + auction_lines(document) + console_page_lines(document)
              + console_lines(document) + list_lines(document))
    return "\n".join(lines)


def list_lines(document: dict) -> list[str]:
    """A table per database and list: each page's p50 / p99 ms at each size, and the p99 ratio with its goal."""
    lines = []
    for kind, figure in document.get("lists", {}).items():
        for name, measured in figure.get("lists", {}).items():
            sizes = list(measured["sizes"])
            lines += ["", f"| {name}, {kind} | " + " | ".join(f"{size} rows: p50 / p99 ms" for size in sizes)
                      + f" | p99 ratio {measured['ratio_of']} | goal |",
                      "| --- " * (len(sizes) + 3) + "|"]
            for page, ratio in measured["p99_ratio"].items():
                cells = " | ".join(f"{measured['sizes'][size][page]['p50_ms']} / "
                                   f"{measured['sizes'][size][page]['p99_ms']}" for size in sizes)
                lines.append(f"| {page} | {cells} | {ratio} | {'met' if ratio <= GOAL else '**missed**'} |")
    return lines


def fan_out_lines(document: dict) -> list[str]:
    return [f"- fan-out ({kind}): one event to {figure['subscribers']} in-app subscribers in {figure['in_app_s']} s "
            f"({figure['notifications_per_s']} notifications/s) and to {figure['webhooks_received']} of "
            f"{figure['webhooks']} webhooks in {figure['webhooks_s']} s (goal: the last within "
            f"{figure['target_s']} s, {_met(figure)})."
            for kind, figure in document.get("fan_out", {}).items() if "error" not in figure]


def auction_lines(document: dict) -> list[str]:
    return [f"- reverse auction ({kind}, {figure['bidders']} bidders): {figure['subject']['accepted_per_s']} bids/s "
            f"(p50 {figure['subject']['p50_ms']} / p99 {figure['subject']['p99_ms']} ms) vs bare "
            f"{figure['baseline']['accepted_per_s']}: ratio {figure['ratio']} (rounds "
            f"{', '.join(map(str, figure['ratio_per_round']))}; goal {figure['target']}, {_met(figure)})."
            for kind, figure in document.get("auction", {}).items() if "error" not in figure]


def console_page_lines(document: dict) -> list[str]:
    """The live auction page and the list of 10,000 trips (decisions 0180 and 0181)."""
    lines = [f"- live auction page ({kind}): {figure['shown']} of {figure['bids']} bids shown, p50 "
             f"{figure['shown_p50_ms']} / p99 {figure['shown_p99_ms']} ms from a bid's answer (the bid read from the "
             f"API: {figure['baseline_read_p50_ms']} / {figure['baseline_read_p99_ms']} ms; goal p50 <= "
             f"{figure['targets']['shown_p50_ms']}, p99 <= {figure['targets']['shown_p99_ms']} ms, {_met(figure)})."
             for kind, figure in document.get("auction_page", {}).items() if "error" not in figure]
    return lines + [
        f"- list of {figure['trips']} trips ({kind}): page p50 {figure['page']['p50_ms']} / p99 "
        f"{figure['page']['p99_ms']} ms, its call {figure['api_call']['p50_ms']} / {figure['api_call']['p99_ms']} "
        f"ms: p99 ratio {figure['page_p99_over_call_p99']} (rounds {', '.join(map(str, figure['per_round']))}; goal "
        f"{figure['targets']['page_p99_over_call_p99']}, {_met(figure)}), p50 ratio "
        f"{figure['page_p50_over_call_p50']}, console CPU {figure['page']['cpu_ms_per_request']} ms a page."
        for kind, figure in document.get("trips_page", {}).items() if "error" not in figure]


def _rounds(values: list) -> str:
    return ", ".join(map(str, values))


def console_lines(document: dict) -> list[str]:
    """My desk and a visit against their calls made in parallel, their p99 with the live streams held, and the
    console's memory (decisions 0095 and 0096)."""
    lines = []
    for kind, figure in document.get("console", {}).items():
        if "error" in figure:
            continue
        goals, met = figure["targets"], figure["met_by_goal"]
        for name, page in figure["pages"].items():
            lines.append(f"- console {name} ({kind}): page p50 {page['page']['p50_ms']} ms, its "
                         f"{page['calls_listed']} calls in parallel {page['calls_in_parallel']['p50_ms']} ms: ratio "
                         f"{page['page_p50_over_parallel_calls_p50']} (rounds {_rounds(page['per_round'])}; goal "
                         f"{goals['page_over_parallel_calls_p50']}), console CPU {page['page']['cpu_ms_per_request']}"
                         f" ms a page.")
        for name, streams in figure["streams"].items():
            lines.append(f"- console {name} ({kind}) with {min(streams['streams_held'])} streams held: p99 "
                         f"{streams['with']['p99_ms']} ms against {streams['without']['p99_ms']} without: ratio "
                         f"{streams['p99_with_over_without']} (rounds {_rounds(streams['per_round'])}; goal "
                         f"{goals['p99_with_streams_over_without']}).")
        lines.append(f"- console ({kind}): pages {'met' if met['pages'] else '**missed**'}, streams "
                     f"{'met' if met['streams'] else '**missed**'}; its PSS at most {figure['console_pss_peak_mb']} "
                     f"MiB (goal {goals['console_pss_mb']}, {'met' if met['memory'] else '**missed**'}).")
    return lines


def main(paths: list[str]) -> int:
    for path in paths:
        print(report(json.loads(Path(path).read_text())))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
