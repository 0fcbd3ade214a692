import { daysBefore } from './random';
import { insertAll, org, user, type World } from './generate';

const POLICE = ['SEROCU', 'TVP', 'HIOW', 'SURREY', 'SUSSEX'];
const CHILDRENS_SERVICES = ['OXON_CS', 'HANTS_CS', 'SURREY_CS', 'WSX_CS'];

/**
 * Information sharing agreements: without one, no non-police partner reads anything police
 * organisations share. One regional agreement in force, one about to expire, and one each
 * suspended, expired and in draft, so agreement screens and reports have all the cases.
 */
export async function generateAgreements(world: World): Promise<void> {
  const { today } = world;
  const ids = (codes: string[]) => codes.map((c) => org(world, c));
  const base = { purposes: ['SAFEGUARDING', 'INVESTIGATION'], created_by: user(world, 'serocu.admin') };
  await insertAll(world.knex, 'information_sharing_agreement', [
    {
      ...base,
      title: 'South East serious and organised crime safeguarding partnership',
      parties: ids([...POLICE, ...CHILDRENS_SERVICES]),
      legal_gateways: ['CRIME_AND_DISORDER_ACT_1998_S115', 'CHILDREN_ACT_2004_S11'],
      data_categories: ['THREAT', 'PLAN', 'DISRUPTION', 'REFERRAL', 'NOMINAL', 'PRACTICE', 'INTELLIGENCE'],
      max_protective_marking: 'OFFICIAL',
      effective_from: daysBefore(today, 400),
      expires_on: daysBefore(today, -330),
      status: 'ACTIVE',
    },
    {
      ...base,
      title: 'Buckinghamshire trading standards and SEROCU: laundering through cash businesses',
      parties: ids(['SEROCU', 'TVP', 'BUCKS_TS']),
      legal_gateways: ['CRIME_AND_DISORDER_ACT_1998_S115'],
      data_categories: ['THREAT', 'PLAN', 'PRACTICE'],
      max_protective_marking: 'OFFICIAL',
      effective_from: daysBefore(today, 700),
      expires_on: daysBefore(today, -45),
      status: 'ACTIVE',
    },
    {
      ...base,
      title: 'Crown Prosecution Service case-building pilot',
      parties: ids(['SEROCU', 'CPS']),
      legal_gateways: ['DPA_2018_PART3'],
      data_categories: ['THREAT', 'DISRUPTION'],
      max_protective_marking: 'OFFICIAL_SENSITIVE',
      effective_from: daysBefore(today, 200),
      expires_on: daysBefore(today, -165),
      status: 'SUSPENDED',
      status_reason: 'Suspended pending a data protection impact assessment.',
    },
    {
      ...base,
      title: 'Hampshire county lines pilot 2023',
      parties: ids(['HIOW', 'HANTS_CS']),
      legal_gateways: ['CHILDREN_ACT_2004_S11'],
      data_categories: ['REFERRAL', 'NOMINAL'],
      max_protective_marking: 'OFFICIAL',
      effective_from: daysBefore(today, 1000),
      expires_on: daysBefore(today, 270),
      status: 'EXPIRED',
    },
    {
      ...base,
      title: 'Surrey and Sussex adult services exploitation protocol',
      parties: ids(['SURREY', 'SUSSEX', 'SURREY_CS']),
      legal_gateways: ['OTHER'],
      data_categories: ['REFERRAL'],
      max_protective_marking: 'OFFICIAL',
      effective_from: today,
      expires_on: daysBefore(today, -365),
      status: 'DRAFT',
    },
  ]);
}
