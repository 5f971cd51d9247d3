## Subscriptions: topics people chose to hear about.

cmd-subscriptions = Choose the news you receive
menu-subscriptions = 🔔 News and announcements
help-feature-subscriptions = 🔔 Choose the news you want: consultations and events, the AI strategy, e-services.

sub-topic-events = Consultations and events
sub-topic-strategy = AI strategy news
sub-topic-eservices = E-services news
sub-everything = all announcements

sub-intro =
    <b>News and announcements</b>

    Tap a topic to receive its announcements, tap it again to stop. You receive nothing you have not ticked.
sub-offer =
    <b>Would you like to receive news?</b>

    Tick the topics you want to hear about. Nothing is ticked unless you tick it; you can change this at any time with /subscriptions.
sub-done = ✅ Done
sub-saved = You receive announcements about:
sub-none = You receive no announcements. Choose topics any time with /subscriptions.
sub-stopped = You will no longer receive { $topic }.
sub-manage = 🔔 Choose my news

mydata-subscriptions = News you chose to receive: { $topics }
mydata-announcements = Announcements addressed to you: { $count }
