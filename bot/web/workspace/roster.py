"""The roster in the workspace: upload a CSV, see its checked changes, then apply them.

The file is the same as ``healthcheck roster import`` takes, checked by the same
code. Nothing changes until the PSW confirms the preview, and then exactly the
previewed file is applied (see :mod:`bot.web.workspace.upload`).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from bot.web.pages import runtime_of
from bot.web.workspace import text
from bot.web.workspace.guard import (
    Psw,
    Unchanged,
    psw_in,
    record,
    workspace_page,
    writing,
)
from bot.web.workspace.upload import SignedUpload, seal, unseal
from survey.errors import RosterImportError
from survey.roster.file import COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from survey.roster.importing import import_roster
from survey.roster.preview import preview_roster

SECTION = "roster"


def register(app: FastAPI) -> None:
    """Add the upload form, the preview and the confirmation."""

    @app.get("/workspace/roster", response_class=HTMLResponse)
    async def roster(request: Request) -> Response:
        async with runtime_of(request).read_sessions() as session:
            psw = await psw_in(request, session)
        if not isinstance(psw, Psw):
            return psw
        return _upload_page(request, psw)

    @app.post("/workspace/roster/preview", response_model=None)
    async def preview(request: Request) -> Response:
        async with request.form() as form:
            upload = form.get("file")
            create_teams = form.get("create_teams") == "yes"
            filename = upload.filename or "" if isinstance(upload, UploadFile) else ""
            data = await upload.read() if isinstance(upload, UploadFile) else b""
        async with runtime_of(request).read_sessions() as session:
            psw = await psw_in(request, session)
            if not isinstance(psw, Psw):
                return psw
            if not data:
                return _upload_page(request, psw, errors={"file": text.NO_FILE})
            found = await preview_roster(
                session,
                organisation_id=psw.organisation.id,
                data=data,
                create_teams=create_teams,
            )
        if found.problems:
            return _upload_page(
                request,
                psw,
                errors={"file": text.ROSTER_PROBLEMS},
                problems=[text.in_survey_words(p) for p in found.problems],
                filename=filename,
            )
        sealed = seal(
            runtime_of(request).settings.secret,
            data=data,
            person_id=psw.visitor.person.id,
            create_teams=create_teams,
        )
        return workspace_page(
            request,
            psw,
            "roster_preview.html",
            section=SECTION,
            preview=found,
            sealed=sealed,
            filename=filename,
        )

    @app.post("/workspace/roster/apply", response_model=None)
    async def apply(request: Request) -> Response:
        form = await request.form()
        fields = SignedUpload(
            *(str(form.get(name) or "") for name in SignedUpload.__dataclass_fields__)
        )
        try:
            return await _apply(request, fields)
        except Unchanged as refused:
            return refused.response


async def _apply(request: Request, fields: SignedUpload) -> Response:
    async with writing(request) as session:
        psw = await psw_in(request, session)
        if not isinstance(psw, Psw):
            return psw
        opened = unseal(
            runtime_of(request).settings.secret, fields, person_id=psw.visitor.person.id
        )
        if opened is None:
            return _upload_page(request, psw, errors={"file": text.CHANGED_SINCE})
        data, create_teams = opened
        try:
            report = await import_roster(
                session,
                organisation_id=psw.organisation.id,
                data=data,
                create_teams=create_teams,
            )
        except RosterImportError as error:
            problems = [text.in_survey_words(p) for p in error.problems]
            raise Unchanged(
                _upload_page(
                    request,
                    psw,
                    errors={"file": text.ROSTER_PROBLEMS},
                    problems=problems,
                )
            ) from None
        await record(session, psw, action="roster.imported", subject=report.summary())
    return workspace_page(
        request, psw, "roster_done.html", section=SECTION, summary=report.summary()
    )


def _upload_page(
    request: Request,
    psw: Psw,
    *,
    errors: dict[str, str] | None = None,
    problems: list[str] | None = None,
    filename: str = "",
) -> HTMLResponse:
    return workspace_page(
        request,
        psw,
        "roster.html",
        section=SECTION,
        status_code=400 if errors else 200,
        errors=errors or {},
        problems=problems or [],
        filename=filename,
        required=REQUIRED_COLUMNS,
        optional=OPTIONAL_COLUMNS,
        columns=COLUMNS,
    )
