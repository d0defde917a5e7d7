from django import forms


class CompleteTaskForm(forms.Form):
    outcome = forms.CharField(
        label="What was done",
        widget=forms.Textarea,
        help_text="For example: visited on Tuesday, storage now in a locked box out of reach",
        error_messages={"required": "Enter what was done"},
    )
