"""The qualifications pages' URLs (pool.urls gathers them under the "pool" namespace)."""

from django.urls import path

from pool import views_qualifications as views

urlpatterns = [
    path("qualifications/", views.MyQualificationsView.as_view(), name="qualifications"),
    path("qualifications/<int:pk>/quiz/", views.TakeQuizView.as_view(), name="quiz-take"),
    path("qualifications/attempts/<int:pk>/", views.QuizResultView.as_view(), name="quiz-result"),
    path("qualifications/<int:pk>/document/", views.SendDocumentView.as_view(), name="document-send"),
    path("qualifications/documents/<int:pk>/", views.DocumentFileView.as_view(), name="document-file"),
    path("qualifications/manage/", views.QualificationListView.as_view(), name="qualification-list"),
    path("qualifications/manage/new/", views.QualificationEditView.as_view(), name="qualification-create"),
    path("qualifications/manage/<int:pk>/", views.QualificationEditView.as_view(), name="qualification-update"),
    path("qualifications/manage/<int:pk>/questions/", views.QuizQuestionsView.as_view(), name="quiz-questions"),
    path("qualifications/checks/", views.DocumentChecksView.as_view(), name="document-checks"),
    path("qualifications/checks/<int:pk>/", views.DocumentCheckView.as_view(), name="document-check"),
]
