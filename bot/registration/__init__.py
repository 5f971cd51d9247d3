"""The registration form: its steps, what each answer may be, and how it is shown."""
