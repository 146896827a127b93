from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("refer/", views.referral_new, name="referral_new"),
    path("queue/", views.queue, name="queue"),
    path("merge/", views.merge, name="merge"),
    path("merge/compare/", views.merge_compare, name="merge_compare"),
    path("star/", views.star_list, name="star_list"),
    path("star/new/", views.star_new, name="star_new"),
    path("star/<int:pk>/", views.star_edit, name="star_edit"),
    path("star/<int:pk>/descriptors/", views.star_descriptors, name="star_descriptors"),
    path("star/<int:pk>/upload/", views.star_upload, name="star_upload"),
    path("star/<int:pk>/version/", views.star_version, name="star_version"),
    path("star/<int:pk>/activate/", views.star_activate, name="star_activate"),
    path("report/", views.report_page, name="report"),
    path("report.csv", views.report_csv, name="report_csv"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/triage/", views.triage, name="triage"),
    path("<int:pk>/allocate/", views.allocate, name="allocate"),
    path("<int:pk>/outreach/", views.outreach, name="outreach"),
    path("<int:pk>/contact/", views.contact, name="contact"),
    path("<int:pk>/readings/new/", views.reading_new, name="reading_new"),
    path("<int:pk>/readings/<int:reading>/approve/", views.reading_approve,
         name="reading_approve"),
    path("<int:pk>/plan/", views.plan_new, name="plan"),
    path("<int:pk>/plan/<int:plan>/approve/", views.plan_approve, name="plan_approve"),
    path("<int:pk>/plan/review/", views.plan_review, name="plan_review"),
    path("<int:pk>/close/", views.closure, name="close"),
    path("<int:pk>/close/<int:closure>/decide/", views.closure_decide, name="closure_decide"),
    path("<int:pk>/refer-again/", views.rerefer, name="rerefer"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/share/<int:share>/revoke/", views.share_revoke, name="share_revoke"),
    path("<int:pk>/transfer/<int:transfer>/", views.transfer_answer, name="transfer_answer"),
]
