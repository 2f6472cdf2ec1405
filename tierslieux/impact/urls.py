"""The impact app's URLs: a place's pages (`manage_urls`, under `/manage/<slug>/impact/`,
namespace `impact_manage`), a network's pages (`network_urls`, under
`/network/<network_slug>/impact/`, namespace `impact_network`) and the public reports
(`public_urls`, under `/impact/`, namespace `impact`). The assessment, the report and the
network's matrix keep their patterns in their own modules."""

from django.urls import URLPattern, path

from tierslieux.impact import urls_assessment, urls_matrix, urls_report
from tierslieux.impact.views import manage, network


def _evidence(kind: str, id_name: str) -> list[URLPattern]:
    """A kind's list, new, edit and remove pages; the record's id has its own name
    (`testimony_id`…) so the access walk furnishes each."""
    k = {"kind": kind}
    return [
        path(f"{kind}/", manage.evidence_list, k, name=kind),
        path(f"{kind}/new/", manage.evidence_edit, k, name=f"{kind}_new"),
        path(f"{kind}/<int:{id_name}>/", manage.evidence_edit, k, name=f"{kind}_edit"),
        path(f"{kind}/<int:{id_name}>/remove/", manage.evidence_remove, k, name=f"{kind}_remove"),
    ]


manage_urls = [
    path("", manage.framework, name="framework"),
    path("commitments/", manage.commitments, name="commitments"),
    *_evidence("testimonies", "testimony_id"),
    path(
        "testimonies/<int:testimony_id>/photo/",
        manage.testimony_photo,
        name="testimony_photo",
    ),
    *_evidence("stories", "story_id"),
    *_evidence("milestones", "milestone_id"),
    *urls_assessment.manage_urls,
    *urls_report.manage_urls,
]

public_urls = [*urls_report.public_urls]

network_urls = [
    path("framework/", network.framework, name="framework"),
    path("framework/reset/", network.reset, name="reset"),
    path("framework/impacts/<slug:impact_key>/", network.impact_edit, name="impact"),
    path("framework/impacts/<slug:impact_key>/axes/new/", network.axis_edit, name="axis_new"),
    path(
        "framework/impacts/<slug:impact_key>/axes/<slug:axis_key>/", network.axis_edit, name="axis"
    ),
    path(
        "framework/commitments/<slug:commitment_key>/", network.commitment_edit, name="commitment"
    ),
    *urls_matrix.network_urls,
]
