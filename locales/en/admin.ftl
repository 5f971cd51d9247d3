## The admins' tools: /stats and /export.

admin-not-allowed = Only the team's admins can do this.

stats-none = none yet
stats-unset = not chosen
stats-minutes = { $n } min
stats-hours = { $n } h
stats-days = { $n } days
stats-reg-confirmed = awaiting verification
stats-reg-verified = verified
stats-reg-withdrawn = withdrawn
stats-reg-erased = erased
stats-sub-open = open
stats-sub-claimed = being handled
stats-sub-approved = approved
stats-sub-rejected = rejected
stats-sub-answered = answered
stats-text =
    <b>Statistics</b>

    <b>People</b>: { $people }
    By language: { $languages }
    Active in the last 7 days: { $active7 }, in the last 30 days: { $active30 }
    Blocked the bot: { $blocked }

    <b>Registrations</b> by kind: { $kinds }
    By verification: { $statuses }

    <b>Submissions</b> by status: { $submissions }
    By topic: { $topics }
    Median time to a moderator's decision: { $median }

    <b>Subscribers</b> by topic: { $subscribers }

    <b>FAQ votes</b>: 👍 { $helpful } · 👎 { $unhelpful }
stats-top-answers = <b>Most-asked FAQ answers</b>
stats-top-unanswered = <b>Most frequent unanswered questions</b>
stats-chart-caption = New registrations (blue) and submissions (orange) per day, the last 30 days (UTC).

export-usage = Use /export, or /export registrations, /export submissions or /export subscriptions.
export-caption = { $kind }: { $rows } rows (CSV, UTF-8). Contains personal data: keep it safe.

cmd-announce = Write an announcement (admins)
cmd-stats = Statistics and a 30-day chart (admins)
cmd-export = CSV files of registrations, submissions, subscriptions (admins)
