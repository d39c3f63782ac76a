import type { ReportFlowServices } from '../flows/report/flow-services';
import { kickAlerts } from './delivery/alert-kick';
import { urgentOpener } from './delivery/urgent-open';
import type { Config } from './config';
import type { Repositories } from './ports';
import { loadDistrict, type District } from './domain/district';
import { resolveDong } from './domain/dong-resolver';
import type { AddressGeocoder } from './domain/geocoding';
import { kakaoLocalGeocoder } from './geo/kakao-local';
import { jusoRoadAddressSearch } from './geo/road-address';
import { fileReport } from './domain/report-filing';
import { keepPhoto } from './domain/photo/photo';
import { applyReportAction, applyReportActionTo } from './domain/workflow/apply-action';
import { STATUS_LABELS } from './domain/report/status';
import { historyPhrase } from './domain/report/history';
import { DETAILS_TO_FOLLOW } from './domain/report/report';

/** Wires the domain into the functions the report flow calls. */
export function reportFlowServices(opts: {
  config: Config;
  repos: Repositories;
  district?: District;
  geocoder?: AddressGeocoder;
  now?: () => Date;
}): ReportFlowServices {
  const { config, repos } = opts;
  const district = opts.district ?? loadDistrict(config.DISTRICT);
  const now = opts.now ?? (() => new Date());
  const geocoder =
    opts.geocoder ??
    (config.KAKAO_REST_API_KEY
      ? kakaoLocalGeocoder({ apiKey: config.KAKAO_REST_API_KEY, baseUrl: config.KAKAO_LOCAL_BASE_URL })
      : undefined);

  const roadSearch = config.JUSO_API_KEY
    ? jusoRoadAddressSearch({ apiKey: config.JUSO_API_KEY, url: config.JUSO_API_URL })
    : undefined;

  const linkOf = async (partnerId: string, contact?: { name: string; phone: string } | null) => {
    const partner = await repos.partners.byId(partnerId);
    return partner
      ? { partnerId: partner.id, partnerName: partner.name, active: partner.active, contact: contact ?? undefined }
      : undefined;
  };

  // the wait for a 확인; out of hours the on-call target (docs/urgent-on-call.md); true only when its alert is queued
  const routeOnCall = urgentOpener({ config, repos, district, now });

  return {
    district,
    async partnerOf(channel, userId) {
      const identity = await repos.identities.find(channel, userId);
      return identity ? linkOf(identity.partnerId, identity.contact) : undefined;
    },
    async linkByInviteCode(channel, userId, code) {
      const partner = await repos.partners.byInviteCode(code);
      if (!partner) return undefined;
      // a revoked partner's code links nobody; the flow says why (partnerMayFile)
      if (!partner.active) return { partnerId: partner.id, partnerName: partner.name, active: false };
      const identity = await repos.identities.link(channel, userId, partner.id, now());
      return { partnerId: partner.id, partnerName: partner.name, active: true, contact: identity.contact ?? undefined };
    },
    saveReporterContact: (channel, userId, contact) => repos.identities.setContact(channel, userId, contact),
    resolveAddress: (text) => resolveDong(district, text, geocoder, roadSearch),
    async submitReport(draft, reporter) {
      const filed = await fileReport({ districtId: district.id, ...repos }, draft, reporter, now());
      if (!filed.ok) return { ok: false, refusal: filed.reason, partnerName: filed.partnerName };
      if (filed.report.urgency !== 'immediate') return { ok: true, receiptNo: filed.report.receiptNo };
      const onCall = await routeOnCall(filed.report);
      kickAlerts();
      return { ok: true, receiptNo: filed.report.receiptNo, onCall };
    },
    async fileUrgentReport(draft, reporter) {
      const minimal = { ...draft, signs: [], situation: DETAILS_TO_FOLLOW, dong: draft.dong ?? null };
      const filed = await fileReport({ districtId: district.id, ...repos }, minimal, reporter, now());
      if (!filed.ok) return { ok: false, refusal: filed.reason, partnerName: filed.partnerName };
      const onCall = await routeOnCall(filed.report);
      kickAlerts();
      return { ok: true, receiptNo: filed.report.receiptNo, reportId: filed.report.id, onCall };
    },
    async addReportDetails({ receiptNo, reportId }, draft, reporter) {
      const actor = { id: `partner:${draft.partnerId}`, role: 'reporter' as const, ...reporter };
      const action = {
        type: 'add_details' as const,
        signs: draft.signs,
        name: draft.name,
        age: draft.age,
        sex: draft.sex,
        phone: draft.phone,
        situation: draft.situation,
      };
      // a concurrent staff action changed the status under us: decide again from the new state
      for (let attempt = 0; attempt < 3; attempt++) {
        const deps = { reports: repos.reports, district };
        const done = reportId
          ? await applyReportActionTo(deps, actor, reportId, action, now())
          : await applyReportAction(deps, actor, receiptNo, action, now());
        if (done.ok) return { ok: true };
        if (done.code !== 'changed') return { ok: false };
      }
      return { ok: false };
    },
    setNewsOff: (channel, userId, off) => repos.reporterNews.setOff(channel, userId, off, now()),
    keepPhoto: (submissionId, bytes) =>
      keepPhoto(
        repos.photos,
        {
          maxBytes: config.PHOTO_MAX_BYTES,
          maxPixels: config.PHOTO_MAX_PIXELS,
          keepLocation: config.PHOTO_KEEP_LOCATION,
        },
        submissionId,
        bytes,
        now(),
      ),
    async attachPhotos(reportId, photoIds) {
      // a staff change racing this one: read again and add the photos to the newer revision
      for (let attempt = 0; attempt < 5; attempt++) {
        const current = await repos.reports.current(reportId);
        if (!current) return { ok: false };
        const merged = [...new Set([...(current.photoIds ?? []), ...photoIds])];
        if (merged.length === (current.photoIds ?? []).length) return { ok: true };
        const next = {
          ...current,
          photoIds: merged,
          history: [...current.history, { at: now(), by: `partner:${current.partner.id}`, action: 'add_photos' }],
        };
        if (await repos.reports.change(current, next)) return { ok: true };
      }
      return { ok: false };
    },
    async recentReports(channel, userId, limit) {
      const reports = await repos.reports.latestOfReporter(channel, userId, limit);
      return reports.map(({ ref, report }) => {
        const dongCode = report ? report.assignedDongCode : ref.dongCode;
        return {
          receiptNo: ref.receiptNo,
          dongName: dongCode ? (district.dongByCode(dongCode)?.name ?? null) : null,
          // out of the working set means archived, which only closed reports are
          statusLabel: STATUS_LABELS[report?.status ?? 'closed'],
          receivedAt: ref.receivedAt,
          shortAddress: report?.address.text ?? ref.addressText,
          latestChange: report ? [...report.history].reverse().find((h) => historyPhrase(h) !== undefined) : undefined,
        };
      });
    },
  };
}
