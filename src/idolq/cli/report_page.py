"""The HTML report: one self-contained page (inline CSS and SVG, no script, no network)."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from idolq import __version__
from idolq.cli import svg
from idolq.cli.calendar_views import DAY_NAMES
from idolq.cli.report_style import CSS
from idolq.domain.zones import format_local, to_zone, zone_name

HEADLINES = (  # (key, daily key, title, unit, explanation)
    ("content_velocity_per_day", "published", "Content velocity", "/day",
     "content published per day"),
    ("review_time_hours", "review_time_hours", "Review time", " h",
     "submission to the end of its review round"),
    ("manual_intervention_pct", "manual_intervention_pct", "Manual intervention", "%",
     "workflow actions taken by human: actors"),
    ("agent_utilization_hours_per_day", "agent_utilization_hours", "Agent utilisation",
     " h/day", "hours a working agent had work in progress"),
)
COUNTS = ("created", "completed", "approved", "rejected", "published")


def _e(value) -> str:
    return escape("-" if value is None else str(value))


def _fmt(value: float | None, unit: str) -> str:
    return "-" if value is None else f"{value:g}{unit}"


def render_page(data) -> str:
    """The page for a services.report.ReportData."""
    period = data.metrics["period"]
    title = "idolq report"
    sections = [_headlines(data.metrics), _activity(data.metrics), _review(data.metrics),
                _agents(data), _breaches(data), _calendar(data)]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<meta name=\"generator\" content=\"idolq {escape(__version__)}\">"
        f"<title>{title}</title><style>{CSS}</style></head><body><main>"
        f"<header><h1>{title}</h1><p class=\"muted\">Generated "
        f"{_e(format_local(data.generated_at, data.zone))} &middot; metrics from "
        f"{_e(format_local(period['since'], data.zone))} to "
        f"{_e(format_local(period['until'], data.zone))} ({period['days']:g} days) &middot; "
        f"times in {_e(zone_name(data.zone))}</p></header>"
        + "".join(sections) + "<footer class=\"muted\">Made by idolq from its event log; "
        "definitions in docs/metrics.md.</footer></main></body></html>\n")


def _headlines(metrics: dict) -> str:
    cards = []
    for key, daily_key, title, unit, explanation in HEADLINES:
        target = metrics["targets"][key]
        state = {True: ("met", "on target"), False: ("missed", "off target"),
                 None: ("none", "no data")}[target["met"]]
        line_target = target["target_min"] if target["target_min"] is not None \
            else target["target_max"]
        chart = svg.sparkline([day[daily_key] for day in metrics["daily"]],
                              f"{title} per day", target=line_target)
        cards.append(
            f'<article class="card {state[0]}"><h3>{title}</h3>'
            f'<p class="big">{_fmt(target["value"], unit)}</p>'
            f'<p class="badge {state[0]}">{state[1]}</p>'
            f'<p class="muted">V1 {_fmt(target["v1_baseline"], unit)} &middot; target '
            f'{escape(target["target"])}{unit}</p>{chart}'
            f'<p class="muted small">{explanation}</p></article>')
    return '<section><h2>The four targets</h2><div class="cards">' + "".join(cards) \
        + "</div></section>"


def _activity(metrics: dict) -> str:
    daily = metrics["daily"]
    chart = svg.columns([d["date"] for d in daily], {k: [d[k] for d in daily] for k in COUNTS},
                        "Tasks created, completed, reviews approved and rejected, content "
                        "published, per day")
    totals = "".join(f"<li><b>{metrics['totals'][k]}</b> {k}</li>" for k in COUNTS)
    return (f'<section><h2>Daily activity</h2><div class="panel">{chart}'
            f'<ul class="totals">{totals}</ul></div></section>')


def _review(metrics: dict) -> str:
    review = metrics["review_time_hours"]
    target = metrics["targets"]["review_time_hours"]["target_max"]
    tiers = svg.bars([(f"tier {t} ({g['count']})", g["avg"]) for t, g in
                      review["by_tier"].items()], "Average review time by tier", " h", target)
    kinds = svg.bars([(f"{t} ({g['count']})", g["avg"]) for t, g in review["by_type"].items()],
                     "Average wait by review type", " h")
    summary = (f"{review['count']} rounds: average {_fmt(review['avg'], ' h')}, median "
               f"{_fmt(review['median'], ' h')}, p90 {_fmt(review['p90'], ' h')}")
    return (f'<section><h2>Review time</h2><p>{summary}</p><div class="two">'
            f'<div class="panel"><h3>Rounds, by tier</h3>{tiers}</div>'
            f'<div class="panel"><h3>Reviews, by type</h3>{kinds}</div></div></section>')


def _agents(data) -> str:
    rows = []
    for load in data.agents:
        width = min(100.0, load.load_pct)
        rows.append(
            f"<tr><td>{load.number}</td><td>{_e(load.name)}</td>"
            f"<td>{load.active_tasks}/{load.max_concurrent_tasks}"
            f'<span class="meter"><span style="width:{width:.0f}%"></span></span></td>'
            f"<td>{load.pending_reviews}</td><td>{load.busy_hours_per_day:g}</td></tr>")
    target = data.metrics["targets"]["agent_utilization_hours_per_day"]["target_min"]
    chart = svg.bars([(f"{a.number} {a.name}", a.busy_hours_per_day) for a in data.agents],
                     "Hours per day each agent had work in progress", " h", target, top=24)
    return ('<section><h2>Agents</h2><div class="two"><div class="panel scroll"><table>'
            "<thead><tr><th>#</th><th>Agent</th><th>In progress</th><th>Reviews waiting</th>"
            "<th>Busy h/day</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
            f'<div class="panel"><h3>Utilisation (target {target:g} h/day)</h3>{chart}</div>'
            "</div></section>")


def _breaches(data) -> str:
    findings = sorted((*data.sla.reviews, *data.sla.tasks), key=lambda f: f.standing.hours_over,
                      reverse=True)
    if not findings:
        return '<section><h2>SLA breaches</h2><p class="badge met">No open breach.</p></section>'
    rows = []
    for finding in findings:
        doc = finding.as_violation()
        if finding.subject == "review":
            what = f"{doc['review_type']} review {doc['id']} of {doc['task_code']}"
        else:
            what = f"{doc['code']}: {doc['title']}"
        rows.append(f"<tr><td>{_e(what)}</td><td>{_e(doc['rule'])}</td>"
                    f"<td>{doc['hours_over']:.1f} h</td><td>{_e(doc['escalate_to'])}</td>"
                    f"<td>{_e(format_local(doc['escalated_at'], data.zone))}</td></tr>")
    return (f'<section><h2>SLA breaches ({len(findings)} open)</h2><div class="panel scroll">'
            "<table><thead><tr><th>Item</th><th>Rule</th><th>Over by</th><th>Escalates to</th>"
            "<th>Escalated</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
            "</section>")


def _calendar(data) -> str:
    start = to_zone(data.calendar_from, data.zone)
    monday = (start - timedelta(days=start.weekday())).date()
    end = to_zone(data.calendar_to, data.zone).date()
    by_day: dict = {}
    for item in data.items:
        by_day.setdefault(to_zone(item.scheduled_at, data.zone).date(), []).append(item)
    weeks = []
    while monday < end:
        days = []
        for offset in range(7):
            day = monday + timedelta(days=offset)
            entries = "".join(
                f'<li class="{item.status}"><time>'
                f"{to_zone(item.scheduled_at, data.zone):%H:%M}</time> "
                f"<b>{_e(item.task_code)}</b> {_e(item.title)}"
                f'<span class="muted"> {_e(item.platform or "")} {item.status}</span></li>'
                for item in by_day.get(day, []))
            past = " past" if day < start.date() else ""
            days.append(f'<div class="day{past}"><h4>{DAY_NAMES[offset]} {day:%m-%d}</h4>'
                        f"<ul>{entries}</ul></div>")
        weeks.append(f'<div class="week"><h3>Week of {monday:%Y-%m-%d}</h3>'
                     f'<div class="days">{"".join(days)}</div></div>')
        monday += timedelta(days=7)
    return (f"<section><h2>Calendar: the coming {len(weeks)} weeks "
            f"({len(data.items)} items)</h2>" + "".join(weeks) + "</section>")
