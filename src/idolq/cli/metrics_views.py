"""`idolq metrics` as JSON, or as tables with small charts next to the numbers."""

from __future__ import annotations

from collections.abc import Sequence

from idolq.cli import output

PARTIAL_BLOCKS = " \u258f\u258e\u258d\u258c\u258b\u258a\u2589"
SPARKS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"
HEADLINES = (  # (document key, daily key, label, unit)
    ("content_velocity_per_day", "published", "Content velocity", "/day"),
    ("review_time_hours", "review_time_hours", "Review time", "h"),
    ("manual_intervention_pct", "manual_intervention_pct", "Manual intervention", "%"),
    ("agent_utilization_hours_per_day", "agent_utilization_hours", "Agent utilisation",
     "h/day"),
)
COLUMNS = (("metric", "Metric"), ("value", "Period"), ("v1", "V1"), ("target", "Target"),
           ("met", "Met"), ("chart", "Daily"))
DETAIL_COLUMNS = (("name", ""), ("count", "Count"), ("avg", "Avg h"), ("median", "Median h"),
                  ("p90", "p90 h"), ("chart", ""))


def sparkline(values: Sequence[float | None]) -> str:
    """One character per value, scaled to the largest; a gap where there is no value."""
    known = [v for v in values if v is not None]
    top = max(known, default=0) or 1
    return "".join(" " if v is None else SPARKS[min(7, int(v / top * 7.999))] for v in values)


def bar(value: float | None, top: float, width: int = 20) -> str:
    if not value or not top:
        return ""
    eighths = round(min(value / top, 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    return "\u2588" * full + PARTIAL_BLOCKS[part].strip()


def _number(value: float | None, unit: str) -> str:
    return "-" if value is None else f"{value:g}{unit}"


def headline_rows(document: dict) -> list[dict]:
    rows = []
    for key, daily_key, label, unit in HEADLINES:
        target = document["targets"][key]
        rows.append({
            "metric": label, "value": _number(target["value"], unit),
            "v1": _number(target["v1_baseline"], unit), "target": target["target"] + unit,
            "met": {True: "yes", False: "no", None: "-"}[target["met"]],
            "chart": sparkline([day[daily_key] for day in document["daily"]]),
        })
    return rows


def _detail_rows(groups: dict, label: str) -> list[dict]:
    top = max((g["avg"] or 0 for g in groups.values()), default=0)
    return [{"name": f"{label} {name}", **group, "chart": bar(group["avg"], top)}
            for name, group in groups.items()]


def show_metrics(document: dict, json_mode: bool) -> None:
    output.emit(document, json_mode, _render)


def _render(document: dict) -> None:
    period = document["period"]
    output.print_table(headline_rows(document), COLUMNS,
                       title=f"Metrics {period['since']} to {period['until']} "
                             f"({period['days']:g} days, days in {period['zone']})")
    review = document["review_time_hours"]
    output.print_table([*_detail_rows(review["by_tier"], "tier"),
                        *_detail_rows(review["by_type"], "")], DETAIL_COLUMNS,
                       title="Review time by tier (rounds) and by review type (reviews)")
    agents = document["agent_utilization_hours_per_day"]
    output.print_table([{"agent": f"agent {a}", "hours": h, "chart": bar(h, 24)}
                        for a, h in agents.items()],
                       (("agent", "Agent"), ("hours", "Busy h/day"), ("chart", "of 24 h")),
                       title="Agent utilisation")
    daily = document["daily"]
    output.print_table([{"count": name, "total": document["totals"][name],
                         "chart": sparkline([day[name] for day in daily])}
                        for name in ("created", "completed", "approved", "rejected",
                                     "published")],
                       (("count", "Daily"), ("total", "Total"), ("chart", "Per day")))
