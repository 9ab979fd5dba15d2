"""The pay pages' URLs (pool.urls gathers them under the "pool" namespace)."""

from django.urls import path

from pool import views_pay as v

urlpatterns = [
    path("pay/batches/", v.BatchListView.as_view(), name="pay-batches"),
    path("pay/batches/new/", v.BatchCreateView.as_view(), name="pay-batch-create"),
    path("pay/batches/<int:pk>/", v.BatchDetailView.as_view(), name="pay-batch"),
    path("pay/batches/<int:pk>/export/", v.BatchExportView.as_view(), name="pay-batch-export"),
    path("pay/batches/<int:pk>/file/", v.BatchFileView.as_view(), name="pay-batch-file"),
    path("pay/batches/<int:pk>/paid/", v.BatchPaidView.as_view(), name="pay-batch-paid"),
    path("pay/batches/<int:pk>/delete/", v.BatchDeleteView.as_view(), name="pay-batch-delete"),
    path("pay/mine/", v.MyPaymentsView.as_view(), name="pay-mine"),
    path("pay/mine/statement/<int:year>/", v.StatementView.as_view(), name="pay-statement"),
]
