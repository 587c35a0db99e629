"""
The newsroom's roles, as Django groups. Plain data, read by the migration that creates the
groups and by the command that makes staff accounts.
"""

REPORTER = "Reporter"
EDITOR = "Editor"

# (app_label, model, actions); "publish" is the custom articles.publish_article permission.
ROLE_PERMISSIONS = {
    REPORTER: [
        ("articles", "article", ("add", "change", "view")),
        ("articles", "quote", ("add", "change", "delete", "view")),
        ("articles", "articlenote", ("view",)),
        ("articles", "articleevent", ("view",)),
        ("articles", "person", ("add", "view")),
        ("articles", "section", ("view",)),
        ("articles", "author", ("view",)),
        ("taggit", "tag", ("view",)),
        ("images", "image", ("add", "change", "view")),
        ("sources", "target", ("view",)),
    ],
    EDITOR: [
        ("articles", "article", ("add", "change", "delete", "view", "publish")),
        ("articles", "quote", ("add", "change", "delete", "view")),
        ("articles", "articlenote", ("add", "change", "delete", "view")),
        ("articles", "articleevent", ("view",)),
        ("articles", "person", ("add", "change", "delete", "view")),
        ("articles", "section", ("add", "change", "delete", "view")),
        ("articles", "author", ("add", "change", "view")),
        ("taggit", "tag", ("add", "change", "delete", "view")),
        ("auth", "user", ("view",)),
        ("images", "image", ("add", "change", "delete", "view")),
        # Staff-only records of whom the newsroom quotes (sources/): editors keep them.
        ("sources", "sourceprofile", ("add", "change", "delete", "view")),
        ("sources", "target", ("add", "change", "delete", "view")),
    ],
}


def codenames(role: str) -> list[tuple[str, str]]:
    """(app_label, codename) pairs for every permission a role holds."""
    return [
        (app_label, f"{action}_{model}")
        for app_label, model, actions in ROLE_PERMISSIONS[role]
        for action in actions
    ]


def sync_groups(apps) -> None:
    """
    Create or update the role groups with exactly their permissions. ``apps`` is a migration's
    app registry or django.apps.apps; permissions are created first if they do not exist yet.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # A migration's app configs have no models module; create_permissions needs one.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLE_PERMISSIONS:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in codenames(role)
                # A model whose app has not been migrated this far yet gets its permissions from
                # that app's own migration, which calls this again (images/migrations/0002_roles.py).
                if _migrated(apps, app_label, codename)
            ]
        )


def _migrated(apps, app_label: str, codename: str) -> bool:
    model = codename.split("_", 1)[1]
    try:
        apps.get_model(app_label, model)
    except LookupError:
        return False
    return True
