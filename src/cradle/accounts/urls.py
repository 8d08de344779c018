from django.urls import path

from . import invitations_views, landing, views, views_team

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("sign-in/", views.sign_in, name="login"),
    path("start/", landing.start, name="start"),
    path("sign-out/", views.sign_out, name="logout"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="logout-everywhere"),
    path("two-factor/", views.two_factor_step, name="two-factor"),
    path("two-factor/recovery-codes/", views.new_recovery_codes, name="recovery-codes"),
    path("password/", views.password_change, name="password-change"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_done, name="password-reset-done"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm,
         name="password-reset-confirm"),
    path("password-reset/done/", views.password_reset_complete,
         name="password-reset-complete"),
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/<int:pk>/resend/", invitations_views.resend, name="invitation-resend"),
    path("invitations/<int:pk>/revoke/", invitations_views.revoke, name="invitation-revoke"),
    path("teams/<int:service_pk>/", views_team.team_members, name="team-members"),
    path("invitations/accept/<str:token>/", views.accept_invitation, name="accept-invitation"),
]
