import os
import time
from base64 import b32encode
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from . import second_factor_keys
from .permissions import NETWORK_ROLES, ROLES, TEAM_ROLES, Permission, needs_two_factor


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in, by email address. No other personal details are kept."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=100, blank=True, default="")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def role_keys(self) -> set[str]:
        if not self.is_active:
            return set()
        keys = set(self.team_memberships.values_list("role", flat=True))
        keys |= set(self.network_roles.values_list("role", flat=True))
        if self.commissioner_areas.exists():
            keys.add("commissioner")
        return keys

    def permissions(self) -> frozenset[Permission]:
        from .permissions import permissions_of

        return permissions_of(self.role_keys())

    def has_cradle_permission(self, permission: Permission) -> bool:
        return permission in self.permissions()

    def needs_two_factor(self) -> bool:
        return needs_two_factor(self.role_keys())

    def team_ids(self, permission: Permission | None = None) -> set[int]:
        """The teams (directory services) the user belongs to, optionally only those where
        their role grants `permission`."""
        memberships = self.team_memberships.all()
        return {m.service_id for m in memberships
                if permission is None or permission in ROLES[m.role].permissions}


class TeamMembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Memberships of the teams the user manages; every team's for user managers."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.has_cradle_permission(Permission.USER_MANAGE):
            return self
        return self.filter(service_id__in=user.team_ids(Permission.TEAM_MANAGE))


class TeamMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="team_memberships")
    service = models.ForeignKey("directory.Service", on_delete=models.CASCADE,
                                related_name="memberships")
    role = models.CharField(max_length=20, choices=[(k, ROLES[k].name) for k in TEAM_ROLES])

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "service"], name="one_role_per_team"),
            models.CheckConstraint(condition=Q(role__in=TEAM_ROLES), name="team_role_known"),
        ]


class NetworkRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="network_roles")
    role = models.CharField(max_length=20, choices=[(k, ROLES[k].name) for k in NETWORK_ROLES])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="network_role_once"),
            models.CheckConstraint(condition=Q(role__in=NETWORK_ROLES),
                                   name="network_role_known"),
        ]


class CommissionerArea(models.Model):
    """A commissioner sees aggregates for the areas they are named for, and no others."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="commissioner_areas")
    area = models.ForeignKey("geography.Area", on_delete=models.CASCADE,
                             related_name="commissioners")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "area"],
                                               name="commissioner_area_once")]


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        """Not accepted and not expired yet."""
        from django.utils import timezone

        return self.filter(accepted_at__isnull=True, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """An emailed, one-time link to create an account with a role.

    Only a hash of the link's token is stored; the token itself is in the email alone.
    """

    email = models.EmailField("email address")
    role = models.CharField(max_length=20, choices=[(k, r.name) for k, r in ROLES.items()])
    service = models.ForeignKey("directory.Service", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="invitations",
                                help_text="The team, for a team role.")
    areas = models.ManyToManyField("geography.Area", blank=True, related_name="+",
                                   help_text="The areas, for a commissioner.")
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="invitations_sent")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=list(ROLES)), name="invitation_role_known"),
            models.CheckConstraint(condition=Q(service__isnull=False) | ~Q(role__in=TEAM_ROLES),
                                   name="invitation_team_role_has_team"),
        ]

    def __str__(self) -> str:
        return f"{self.email} as {ROLES[self.role].name}"

    @property
    def role_name(self) -> str:
        return ROLES[self.role].name

    def status(self, now=None) -> str:
        from django.utils import timezone

        if self.accepted_at:
            return "Accepted"
        return "Expired" if self.expires_at <= (now or timezone.now()) else "Waiting"


# The second factor -------------------------------------------------------------------------
# Cradle's own django-otp devices, because django-otp's keep their secrets in clear
# (TOTPDevice.key in hex, StaticToken.token as typed): see second_factor_keys and ADR 0005.

APP_KEY_BYTES = 20  # 160 bits, as RFC 4226 recommends for HMAC-SHA1


#: Wrong codes in a row that cost no wait. django-otp makes the next try wait 1 s after one
#: wrong code, 2 s after two, and so on: a typo followed at once by the right code was refused
#: ("too many wrong codes"). From the fourth wrong code on, django-otp's doubling wait applies
#: (4 s, 8 s, ... up to its cap), so guessing six digits is still throttled.
FORGIVEN_WRONG_CODES = 3


class ForgivesTypos:
    """Put before django-otp's ThrottlingMixin: no wait until FORGIVEN_WRONG_CODES wrong codes
    in a row (the count, and its reset on a right code, stay django-otp's)."""

    def verify_is_allowed(self):
        if self.throttling_failure_count < FORGIVEN_WRONG_CODES:
            return True, None
        return super().verify_is_allowed()


class AuthenticatorApp(ForgivesTypos, TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238, 6 digits every 30 seconds). The shared secret is
    stored only encrypted, under the key in the environment."""

    encrypted_key = models.TextField(editable=False)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(
        default=1, help_text="Time steps either side of now that are accepted.")
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(
        default=-1, help_text="The time step of the last code accepted; a code is used once.")

    class Meta(Device.Meta):
        verbose_name = "authenticator app"

    @classmethod
    def new(cls, user, name: str, *, confirmed: bool = False) -> "AuthenticatorApp":
        return cls.objects.create(
            user=user, name=name, confirmed=confirmed,
            encrypted_key=second_factor_keys.encrypt_app_key(os.urandom(APP_KEY_BYTES)))

    @property
    def bin_key(self) -> bytes:
        return second_factor_keys.decrypt_app_key(self.encrypted_key)

    def get_throttle_factor(self):
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        """As django-otp's TOTPDevice: each code once, a step of drift either way, wrong codes
        throttled."""
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            code = int(token)
        except (TypeError, ValueError):
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(code, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    @property
    def config_url(self) -> str:
        """The otpauth:// link an app takes (what the QR code holds)."""
        issuer = getattr(settings, "OTP_TOTP_ISSUER", "Cradle").replace(":", "")
        label = f"{issuer}:{self.user.get_username()}"
        params = urlencode({"secret": b32encode(self.bin_key).decode(), "algorithm": "SHA1",
                            "digits": self.digits, "period": self.step})
        return f"otpauth://totp/{quote(label)}?{params}&issuer={quote(issuer)}"


class RecoveryCodes(ForgivesTypos, ThrottlingMixin, Device):
    """A user's one-time recovery codes (django-otp device). Only keyed digests are stored."""

    class Meta(Device.Meta):
        verbose_name = "recovery code set"

    def get_throttle_factor(self):
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        """Accept one of the codes and use it up; throttle wrong ones."""
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        match = next((code for code in self.codes.all() if
                      second_factor_keys.recovery_code_matches(self.user_id, str(token),
                                                               code.code_hash)), None)
        # Deleting by id, and counting what went, uses a code once even if two requests race.
        used = match is not None and RecoveryCode.objects.filter(pk=match.pk).delete()[0] > 0
        if used:
            self.throttle_reset(commit=True)
        else:
            self.throttle_increment(commit=True)
        return used


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, editable=False,
                                 help_text="HMAC-SHA256 of the code under the server's key.")


class SignInFailures(models.Model):
    """Failed sign-ins in a row of one account (or of one browser the account has signed in
    on before), for the progressive delay. `key` is a keyed hash, so the table names no one,
    not even the addresses typed that have no account."""

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "sign-in failures"
