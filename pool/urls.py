"""The pool's pages under /pool/, one URL list per area (each in its own module)."""

from pool import urls_board, urls_conversation, urls_pay, urls_qualifications, urls_ratings

app_name = "pool"
urlpatterns = [
    *urls_board.urlpatterns,
    *urls_qualifications.urlpatterns,
    *urls_ratings.urlpatterns,
    *urls_conversation.urlpatterns,
    *urls_pay.urlpatterns,
]
