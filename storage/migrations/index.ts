import { InboxOutbox1764100000000 } from './0001-inbox-outbox';
import { FlowVersions1764200000000 } from './0002-flow-versions';
import { Conversations1764300000000 } from './0003-conversations';
import { Cases1764400000000 } from './0004-cases';
import { TrackingNumbers1764500000000 } from './0005-tracking-numbers';
import { Scheduler1764600000000 } from './0006-scheduler';
import { Faq1764700000000 } from './0007-faq';
import { Officers1764800000000 } from './0008-officers';
import { Notifications1764900000000 } from './0009-notifications';
import { Console1765000000000 } from './0010-console';
import { CaseActions1765100000000 } from './0011-case-actions';
import { DistrictOffice1765200000000 } from './0012-district-office';
import { Language1765300000000 } from './0013-language';
import { HandoffDistrict1765400000000 } from './0014-handoff-district';
import { AnonymousUnlinked1765500000000 } from './0015-anonymous-unlinked';
import { OutboxBodiesErased1765600000000 } from './0016-outbox-bodies-erased';
import { PersonalDataErased1765700000000 } from './0017-personal-data-erased';
import { SealedPersonalData1765800000000 } from './0018-sealed-personal-data';
import { RetentionRun1765900000000 } from './0019-retention-run';
import { FlowDrafts1766000000000 } from './0020-flow-drafts';
import { RoyalPetitions1766100000000 } from './0021-royal-petitions';
import { CaseMoves1766200000000 } from './0022-case-moves';
import { ReportIndexes1766300000000 } from './0023-report-indexes';
import { OutboxFailedIndex1766400000000 } from './0024-outbox-failed-index';
import { ReportSummaries1766500000000 } from './0025-report-summaries';
import { Categories1766600000000 } from './0026-categories';

/** In order. A new migration is a new file added at the end; a shipped one is never edited. */
export const migrations = [
  InboxOutbox1764100000000,
  FlowVersions1764200000000,
  Conversations1764300000000,
  Cases1764400000000,
  TrackingNumbers1764500000000,
  Scheduler1764600000000,
  Faq1764700000000,
  Officers1764800000000,
  Notifications1764900000000,
  Console1765000000000,
  CaseActions1765100000000,
  DistrictOffice1765200000000,
  Language1765300000000,
  HandoffDistrict1765400000000,
  AnonymousUnlinked1765500000000,
  OutboxBodiesErased1765600000000,
  PersonalDataErased1765700000000,
  SealedPersonalData1765800000000,
  RetentionRun1765900000000,
  FlowDrafts1766000000000,
  RoyalPetitions1766100000000,
  CaseMoves1766200000000,
  ReportIndexes1766300000000,
  OutboxFailedIndex1766400000000,
  ReportSummaries1766500000000,
  Categories1766600000000,
];
