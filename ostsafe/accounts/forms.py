from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "The email address or password is not right. Check them and try again",
        "inactive": "This account has been closed. Speak to your administrator",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["username"].widget.attrs.update(autocomplete="email")
        self.fields["username"].widget.input_type = "email"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget.attrs.update(autocomplete="current-password")

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        help_text="The 6-digit code, like 123456",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "govuk_width": 5}),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What will use this token?",
        max_length=100,
        help_text="For example: Riverside Pharmacy dispensing feed",
        error_messages={"required": "Enter a name that says what uses this token"},
    )
    lifetime_days = forms.TypedChoiceField(
        label="How long should it last?",
        choices=[(30, "30 days"), (90, "90 days"), (180, "180 days"), (365, "1 year")],
        coerce=int,
        initial=90,
        widget=forms.RadioSelect,
        help_text="It stops working then. Make a new one before it does",
        error_messages={"required": "Choose how long the token lasts"},
    )
