"""What the API reads and writes. Output serializers name things as the pages do; input is checked by the
same forms the pages use (api.views), so a rule is written once. Serializers marked `Input` describe a
request body in the schema."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from qa.models import Answer, Evaluation, Interaction, SectionScore, User
from reports.models import ExportJob
from scorecards.models import Item, Scorecard, ScorecardVersion, Section
from shops.models import Assignment, Employee, Location, Region, Shopper


class OptionalBoolean(serializers.BooleanField):
    """A true/false field that, when left out, is left out in every encoding: DRF reads a form-encoded body's
    missing box as false (an HTML form's unticked checkbox), so an upsert without `active` made an inactive
    employee from a form and an active one from JSON. Left out, the record keeps its value (a new one: active)."""

    default_empty_html = serializers.empty


def region_by_code(code):
    """The region a code names, checked with the other fields (so every field at fault is reported at once)."""
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise serializers.ValidationError(_("No region has this code."))
    return region


class LocationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Location
        fields = ["id", "external_id", "code", "name", "kind", "region", "address", "latitude", "longitude",
                  "active"]


class LocationInput(serializers.Serializer):
    code = serializers.CharField(max_length=20, help_text="Required when the location is new.")
    name = serializers.CharField(max_length=150)
    region = serializers.CharField(help_text="The region's code.")
    kind = serializers.ChoiceField(choices=Location.Kind.choices, required=False)
    address = serializers.CharField(required=False, allow_blank=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        min_value=-90, max_value=90)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         min_value=-180, max_value=180)
    active = OptionalBoolean(required=False, help_text="Left out: unchanged (a new record is active).")

    def validate_region(self, value) -> Region:
        return region_by_code(value)


class EmployeeSerializer(serializers.ModelSerializer):
    location = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Employee
        fields = ["id", "external_id", "employee_code", "name", "job_title", "location", "active"]


class EmployeeInput(serializers.Serializer):
    employee_code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=150)
    location = serializers.CharField(help_text="The location's code.")
    job_title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    active = OptionalBoolean(required=False, help_text="Left out: unchanged (a new record is active).")

    def validate_location(self, value) -> Location:
        location = Location.objects.filter(code=value).first()
        if location is None:
            raise serializers.ValidationError(_("No location has this code."))
        return location


class ShopperSerializer(serializers.ModelSerializer):
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    email = serializers.EmailField(source="user.email")
    home_region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Shopper
        fields = ["id", "external_id", "first_name", "last_name", "email", "phone", "home_region", "active"]


class ShopperInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField()
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    home_region = serializers.CharField(required=False, allow_blank=True, help_text="The region's code.")
    active = OptionalBoolean(required=False, help_text="Left out: unchanged (a new record is active).")

    def validate_home_region(self, value) -> Region | None:
        return region_by_code(value)

    def validate_email(self, value) -> str:
        """Nobody else may sign in with it (context["row"]: the shopper being changed, if any)."""
        row = self.context.get("row")
        others = User.objects.filter(email__iexact=value)
        if row is not None:
            others = others.exclude(pk=row.user_id)
        if others.exists():
            raise serializers.ValidationError(_("Someone already signs in with this e-mail address."))
        return value


class RecordingSerializer(serializers.Serializer):
    audio_format = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    duration_seconds = serializers.FloatField()


class InteractionSerializer(serializers.ModelSerializer):
    location = serializers.SlugRelatedField(slug_field="code", read_only=True)
    employee = serializers.SlugRelatedField(slug_field="employee_code", read_only=True)
    source_system = serializers.SerializerMethodField()
    external_id = serializers.SerializerMethodField()
    recording = serializers.SerializerMethodField()
    evaluations = serializers.SerializerMethodField()

    class Meta:
        model = Interaction
        fields = ["id", "source_system", "external_id", "channel", "location", "employee", "occurred_at",
                  "customer_reference", "direction", "complaint_type", "received_at", "acknowledged_at",
                  "resolved_at", "followed_up_at", "conversation", "recording", "evaluations", "created_at"]

    def _ref(self, obj):
        return getattr(obj, "external_ref", None) if hasattr(obj, "external_ref") else None

    def get_source_system(self, obj) -> str | None:
        ref = self._ref(obj)
        return ref.source_system if ref else None

    def get_external_id(self, obj) -> str | None:
        ref = self._ref(obj)
        return ref.external_id if ref else None

    def get_recording(self, obj) -> RecordingSerializer(allow_null=True):
        recording = getattr(obj, "recording", None) if hasattr(obj, "recording") else None
        return RecordingSerializer(recording).data if recording else None

    def get_evaluations(self, obj) -> list[int]:
        """The released evaluations of it within the reader's reach (see /evaluations/{id}/)."""
        visible = self.context.get("visible_evaluations")
        if visible is None:
            return []
        return [pk for pk in visible.get(obj.pk, [])]


class InteractionInput(serializers.Serializer):
    source_system = serializers.CharField(max_length=50, help_text="Which system the id comes from, e.g. 'genesys'.")
    external_id = serializers.CharField(max_length=200, help_text="Its id there: sending it again returns the "
                                                                  "interaction already made (200).")
    channel = serializers.ChoiceField(choices=Interaction.CHANNEL_CHOICES)
    location = serializers.CharField(help_text="The location's code.")
    employee = serializers.CharField(required=False, allow_blank=True, help_text="The employee's code.")
    occurred_at = serializers.DateTimeField()
    customer_reference = serializers.CharField(required=False, allow_blank=True)
    direction = serializers.ChoiceField(choices=Interaction.Direction.choices, required=False)
    complaint_type = serializers.ChoiceField(choices=Interaction.ComplaintType.choices, required=False)
    received_at = serializers.DateTimeField(required=False)
    acknowledged_at = serializers.DateTimeField(required=False)
    resolved_at = serializers.DateTimeField(required=False)
    followed_up_at = serializers.DateTimeField(required=False)
    conversation = serializers.CharField(required=False, allow_blank=True,
                                         help_text="For email, chat and social: the text.")
    recording = serializers.FileField(required=False, help_text="For phone calls: WAV, MP3, OGG or M4A "
                                                                "(multipart/form-data).")


class AnswerSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_id")
    question = serializers.CharField(source="item.question")
    section = serializers.CharField(source="item.section.name")

    class Meta:
        model = Answer
        fields = ["item", "section", "question", "value", "na", "comment", "score", "failed"]


class SectionScoreSerializer(serializers.ModelSerializer):
    section = serializers.IntegerField(source="section_id")

    class Meta:
        model = SectionScore
        fields = ["section", "section_name", "score"]


class EvaluationSerializer(serializers.ModelSerializer):
    scorecard = serializers.CharField(source="version.scorecard.name")
    version = serializers.IntegerField(source="version.number")
    location = serializers.SlugRelatedField(slug_field="code", read_only=True)
    employee = serializers.SlugRelatedField(slug_field="employee_code", read_only=True)
    interaction = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "scorecard", "version", "source", "status", "channel", "location", "employee",
                  "interaction", "interaction_at", "overall_score", "critical_failed", "released_at"]


class EvaluationDetailSerializer(EvaluationSerializer):
    answers = AnswerSerializer(many=True, read_only=True)
    section_scores = SectionScoreSerializer(many=True, read_only=True)

    class Meta(EvaluationSerializer.Meta):
        fields = EvaluationSerializer.Meta.fields + ["comments", "section_scores", "answers"]


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "question", "guidance", "policy_reference", "answer_type", "weight", "na_allowed",
                  "critical", "order", "number_unit", "kpi"]


class SectionSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "name", "description", "weight", "order", "items"]


class VersionSerializer(serializers.ModelSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = ScorecardVersion
        fields = ["id", "number", "status", "notes", "published_at", "retired_at", "sections"]


class ScorecardSerializer(serializers.ModelSerializer):
    versions = VersionSerializer(many=True, read_only=True)

    class Meta:
        model = Scorecard
        fields = ["id", "name", "channel", "description", "versions"]


class AssignmentSerializer(serializers.ModelSerializer):
    location = serializers.SlugRelatedField(slug_field="code", read_only=True)
    shopper = serializers.PrimaryKeyRelatedField(read_only=True)
    version = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "location", "version", "shopper", "channel", "window_start", "window_end", "time_of_day",
                  "brief", "fee", "report_due_hours", "receipt_required", "photo_required", "bar_days", "status",
                  "created_at"]


class AssignmentInput(serializers.Serializer):
    location = serializers.CharField(help_text="The location's code.")
    version = serializers.IntegerField(help_text="A published scorecard version's id.")
    shopper = serializers.IntegerField(required=False, allow_null=True, help_text="A shopper's id; empty offers "
                                                                                  "it to every shopper.")
    channel = serializers.ChoiceField(choices=Assignment.CHANNEL_CHOICES, required=False)
    window_start = serializers.DateField()
    window_end = serializers.DateField()
    time_of_day = serializers.CharField(required=False, allow_blank=True)
    brief = serializers.CharField()
    fee = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    report_due_hours = serializers.IntegerField(required=False)
    receipt_required = serializers.BooleanField(required=False)
    photo_required = serializers.BooleanField(required=False)
    bar_days = serializers.IntegerField(required=False)


class ExportJobSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = ["id", "exporter", "file_format", "status", "done", "total", "error", "created_at", "finished_at",
                  "expires_at", "download"]

    def get_download(self, obj) -> str | None:
        if obj.status != ExportJob.Status.DONE:
            return None
        request = self.context.get("request")
        from django.urls import reverse

        url = reverse("api:v1:export-download", args=[obj.pk])
        return request.build_absolute_uri(url) if request else url


class ExportInput(serializers.Serializer):
    exporter = serializers.ChoiceField(choices=["dashboard", "location", "employee", "region"])
    format = serializers.ChoiceField(choices=["xlsx", "pdf", "csv"])
    object_id = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1,
                                         help_text="The location, employee or region (not for the dashboard).")
    filters = serializers.DictField(child=serializers.CharField(), required=False,
                                    help_text="The dashboard's filters, e.g. {\"date_from\": \"2026-01-01\"}.")
