"""The report layer, above the inventory: plain tables (:mod:`certlib.report.summary`),
matplotlib figures drawn from them (:mod:`certlib.report.plots`) and one self-contained HTML
report (:mod:`certlib.report.html`). Nothing is imported here, so that the tables do not pull
in matplotlib."""
