from django.urls import path

from scorecards import views

app_name = "scorecards"

urlpatterns = [
    path("", views.ScorecardListView.as_view(), name="list"),
    path("new/", views.ScorecardCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ScorecardDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ScorecardUpdateView.as_view(), name="update"),
    path("<int:pk>/new-version/", views.NewVersionView.as_view(), name="new-version"),
    path("versions/<int:pk>/", views.VersionDetailView.as_view(), name="version"),
    path("versions/<int:pk>/preview/", views.VersionPreviewView.as_view(), name="version-preview"),
    path("versions/<int:pk>/publish/", views.PublishView.as_view(), name="version-publish"),
    path("versions/<int:pk>/retire/", views.RetireView.as_view(), name="version-retire"),
    path("versions/<int:pk>/sections/new/", views.SectionCreateView.as_view(), name="section-create"),
    path("sections/<int:pk>/edit/", views.SectionUpdateView.as_view(), name="section-update"),
    path("sections/<int:pk>/delete/", views.SectionDeleteView.as_view(), name="section-delete"),
    path("sections/<int:pk>/move/<str:direction>/", views.SectionMoveView.as_view(), name="section-move"),
    path("sections/<int:pk>/items/new/", views.ItemCreateView.as_view(), name="item-create"),
    path("items/<int:pk>/edit/", views.ItemUpdateView.as_view(), name="item-update"),
    path("items/<int:pk>/delete/", views.ItemDeleteView.as_view(), name="item-delete"),
    path("items/<int:pk>/move/<str:direction>/", views.ItemMoveView.as_view(), name="item-move"),
]
