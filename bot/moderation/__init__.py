"""The moderators' work: who may act (gate) and what each action does (service)."""
