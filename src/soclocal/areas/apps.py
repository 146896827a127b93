from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "soclocal.areas"
    label = "areas"
    verbose_name = "Geography and deprivation"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import snapshot
        from .models import Area, Deprivation, LsoaLookup, Neighbourhood

        # Any change one record at a time moves the geography's stamp; the importers, which
        # write in bulk, move it themselves.
        for model in (Area, Deprivation, LsoaLookup, Neighbourhood):
            post_save.connect(snapshot.on_change, sender=model,
                              dispatch_uid=f"geography-{model.__name__}-saved")
            post_delete.connect(snapshot.on_change, sender=model,
                                dispatch_uid=f"geography-{model.__name__}-deleted")
        m2m_changed.connect(snapshot.on_change, sender=Neighbourhood.members.through,
                            dispatch_uid="geography-neighbourhood-members")
