import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from soclocal.core.access import Ownership, Role
from soclocal.core.retention import (
    CONTRACT,
    REVIEW,
    Rule,
)


class Partnership(models.Model):
    """The local partnership this installation serves (one per installation for now)."""

    name = models.CharField(max_length=200)
    area_description = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class Agency(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        CHILDRENS_SERVICES = "childrens_services", "Children's services"
        ADULT_SERVICES = "adult_services", "Adult social care"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        YOUTH_COMMUNITY = "youth_community", "Youth or community organisation"
        HOUSING = "housing", "Housing"
        EDUCATION = "education", "Education"
        HEALTH = "health", "Health"
        COMMUNITY_SAFETY = "community_safety", "Community safety"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    ownership = Ownership(agency="pk", team=None, owners=())

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency")
        ]

    def __str__(self):
        return f"{self.name} ({self.agency.name})"


class AccountManager(UserManager):
    pass


class User(AbstractUser):
    """A person who logs in. Accounts are deactivated, never deleted: history stays."""

    retention = Rule(
        "staff-accounts", purpose="Sign-in, access control and accountability of staff",
        lawful_basis=CONTRACT, subject="staff",
        categories=("name", "work email", "job title", "agency and team", "roles"),
        days=6 * 365, after="deactivated_at",
        period="6 years after the account was deactivated", where=Q(is_active=False), action=REVIEW)

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    job_title = models.CharField(max_length=200, blank=True)
    must_change_password = models.BooleanField(default=False)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = AccountManager()
    ownership = Ownership(agency="agency", team="team", owners=("pk",))

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def delete(self, *args, **kwargs):
        raise PermissionError("Accounts are deactivated, never deleted.")

    @property
    def roles(self) -> list[str]:
        return sorted(self.role_grants.values_list("role", flat=True))

    @property
    def role_labels(self) -> list[str]:
        return [Role.LABELS[r] for r in self.roles]


class RoleGrant(models.Model):
    """A role a person holds at their agency. A person can hold several."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(max_length=40, choices=Role.CHOICES)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role")]

    def __str__(self):
        return f"{self.user} as {Role.LABELS.get(self.role, self.role)}"


class ApiToken(models.Model):
    """A token for integrations. Only its hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
