"""The HTML report's stylesheet: inline, responsive (laptop and phone), printable."""

CSS = """
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #f8fafc; --card: #fff;
        --good: #16a34a; --bad: #dc2626; --accent: #4f46e5; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans JP", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.6rem; margin: 0.2rem 0; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 0.6rem; border-bottom: 2px solid var(--line);
     padding-bottom: 0.2rem; }
h3 { font-size: 0.95rem; margin: 0 0 0.4rem; }
h4 { font-size: 0.8rem; margin: 0 0 0.3rem; color: var(--muted); }
.muted { color: var(--muted); }
.small { font-size: 0.8rem; }
.cards { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); }
.card, .panel { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
                padding: 12px 14px; }
.card.met { border-top: 4px solid var(--good); }
.card.missed { border-top: 4px solid var(--bad); }
.card p { margin: 0.2rem 0; }
.big { font-size: 2rem; font-weight: 700; }
.badge { display: inline-block; font-size: 0.75rem; padding: 1px 8px; border-radius: 999px;
         background: var(--line); }
.badge.met { background: #dcfce7; color: #166534; }
.badge.missed { background: #fee2e2; color: #991b1b; }
svg.chart { width: 100%; height: auto; display: block; margin-top: 6px; }
.panel { overflow-x: auto; }
svg.columns { min-width: 540px; }
svg.bars { min-width: 380px; }
svg .label, svg .value, svg .tick, svg .legend { font-size: 12px; fill: var(--ink); }
svg .tick { fill: var(--muted); }
.two { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); }
.totals { display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; list-style: none; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line);
         vertical-align: top; overflow-wrap: break-word; }
th { font-size: 0.8rem; color: var(--muted); overflow-wrap: normal; }
.meter { display: inline-block; width: 60px; height: 8px; margin-left: 8px;
         background: var(--line); border-radius: 4px; overflow: hidden; vertical-align: middle; }
.meter span { display: block; height: 100%; background: var(--accent); }
.week { margin-bottom: 14px; }
.days { display: grid; gap: 6px; grid-template-columns: repeat(7, minmax(0, 1fr)); }
.day { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
       padding: 6px; min-height: 70px; }
.day.past { opacity: 0.55; }
.day ul { list-style: none; margin: 0; padding: 0; }
.day li { font-size: 0.8rem; margin-bottom: 6px; overflow-wrap: anywhere; }
.day li b { white-space: nowrap; }
.day li.published b { color: var(--good); }
.day li.cancelled { text-decoration: line-through; color: var(--muted); }
footer { margin: 2rem 0 1rem; font-size: 0.8rem; }
@media (max-width: 720px) {
  main { padding: 10px; }
  .days { grid-template-columns: 1fr; }
  .day { min-height: 0; }
  .day:not(:has(li)) { display: none; }
  .big { font-size: 1.6rem; }
}
@media print { body { background: #fff; } .card, .panel, .day { break-inside: avoid; } }
"""
