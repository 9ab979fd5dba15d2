"""The ratings pages' URLs (pool.urls gathers them under the "pool" namespace)."""

from django.urls import path

from pool import views_ratings as views

urlpatterns = [
    path("shoppers/", views.ShopperListView.as_view(), name="shoppers"),
    path("shoppers/<int:pk>/", views.ShopperDetailView.as_view(), name="shopper"),
    path("shoppers/<int:pk>/bar/", views.BarView.as_view(), name="shopper-bar"),
    path("shoppers/<int:pk>/unbar/", views.UnbarView.as_view(), name="shopper-unbar"),
    path("shoppers/<int:pk>/conflicts/", views.ConflictAddView.as_view(), name="conflict-add"),
    path("shoppers/<int:pk>/conflicts/<int:conflict_pk>/remove/", views.ConflictRemoveView.as_view(),
         name="conflict-remove"),
    path("my-rating/", views.MyRatingView.as_view(), name="my-rating"),
]
