// The `demo` seed: a small, realistic directory (people with departments, cities and job titles, a few
// assigned groups) created through the same services Graph uses.
import { randomBytes } from 'node:crypto';
import type { Scope } from '../server/context.js';
import { createUser } from '../directory/users.js';
import { addReference, createGroup } from '../directory/groups.js';

export interface SeededUser {
  id: string;
  userPrincipalName: string;
  password: string;
}

interface Person {
  given: string;
  surname: string;
  department: string;
  jobTitle: string;
  city: string;
  country: string;
  usageLocation: string;
  employeeId: string;
}

const PEOPLE: readonly Person[] = [
  { given: 'Megan', surname: 'Bowen', department: 'Marketing', jobTitle: 'Marketing Manager', city: 'Pittsburgh', country: 'United States', usageLocation: 'US', employeeId: '1001' },
  { given: 'Adele', surname: 'Vance', department: 'Retail', jobTitle: 'Retail Manager', city: 'Bellevue', country: 'United States', usageLocation: 'US', employeeId: '1002' },
  { given: 'Alex', surname: 'Wilber', department: 'Sales', jobTitle: 'Marketing Assistant', city: 'San Diego', country: 'United States', usageLocation: 'US', employeeId: '1003' },
  { given: 'Diego', surname: 'Siciliani', department: 'HR', jobTitle: 'HR Manager', city: 'Birmingham', country: 'United States', usageLocation: 'US', employeeId: '1004' },
  { given: 'Isaiah', surname: 'Langer', department: 'Sales', jobTitle: 'Sales Rep', city: 'Tulsa', country: 'United States', usageLocation: 'US', employeeId: '1005' },
  { given: 'Johanna', surname: 'Lorenz', department: 'Engineering', jobTitle: 'Senior Engineer', city: 'Louisville', country: 'United States', usageLocation: 'US', employeeId: '1006' },
  { given: 'Lee', surname: 'Gu', department: 'Manufacturing', jobTitle: 'Director', city: 'Miami', country: 'United States', usageLocation: 'US', employeeId: '1007' },
  { given: 'Lidia', surname: 'Holloway', department: 'Engineering', jobTitle: 'Product Manager', city: 'Tulsa', country: 'United States', usageLocation: 'US', employeeId: '1008' },
  { given: 'Lynne', surname: 'Robbins', department: 'Retail', jobTitle: 'Planner', city: 'Tulsa', country: 'United States', usageLocation: 'US', employeeId: '1009' },
  { given: 'Nestor', surname: 'Wilke', department: 'Operations', jobTitle: 'Director', city: 'Seattle', country: 'United States', usageLocation: 'US', employeeId: '1010' },
  { given: 'Patti', surname: 'Fernandez', department: 'Executive Management', jobTitle: 'President', city: 'Louisville', country: 'United States', usageLocation: 'US', employeeId: '1011' },
  { given: 'Pradeep', surname: 'Gupta', department: 'Finance', jobTitle: 'Accountant', city: 'Cairo', country: 'Egypt', usageLocation: 'EG', employeeId: '1012' },
  { given: 'Grady', surname: 'Archie', department: 'Research & Development', jobTitle: 'Designer', city: 'Bloomington', country: 'United States', usageLocation: 'US', employeeId: '1013' },
  { given: 'Miriam', surname: 'Graham', department: 'Sales', jobTitle: 'Director', city: 'San Diego', country: 'United States', usageLocation: 'US', employeeId: '1014' },
  { given: 'Joni', surname: 'Sherman', department: 'Legal', jobTitle: 'Paralegal', city: 'Charlotte', country: 'United States', usageLocation: 'US', employeeId: '1015' },
];

const GROUPS: readonly { name: string; nickname: string; departments: readonly string[] }[] = [
  { name: 'Sales and Marketing', nickname: 'SalesAndMarketing', departments: ['Sales', 'Marketing'] },
  { name: 'Retail', nickname: 'Retail', departments: ['Retail'] },
  { name: 'Engineering', nickname: 'Engineering', departments: ['Engineering', 'Research & Development'] },
  { name: 'Finance and Legal', nickname: 'FinanceAndLegal', departments: ['Finance', 'Legal'] },
];

/** A random password that meets Entra's complexity rule. */
export const randomPassword = () => `Tm-${randomBytes(9).toString('base64url')}9a`;

export async function seedDemoDirectory(scope: Scope, domain: string, password?: string): Promise<SeededUser[]> {
  const users: SeededUser[] = [];
  const admin = { given: 'MOD', surname: 'Administrator', department: 'IT', jobTitle: 'IT Administrator', city: 'Redmond', country: 'United States', usageLocation: 'US', employeeId: '1000' };
  const byDepartment = new Map<string, string[]>();
  for (const p of [admin, ...PEOPLE]) {
    const nickname = p === admin ? 'admin' : `${p.given}${p.surname[0]}`;
    const upn = `${nickname}@${domain}`;
    const pw = password ?? randomPassword();
    const user = await createUser(scope, {
      accountEnabled: true,
      displayName: `${p.given} ${p.surname}`,
      givenName: p.given,
      surname: p.surname,
      mailNickname: nickname,
      userPrincipalName: upn,
      mail: upn,
      department: p.department,
      jobTitle: p.jobTitle,
      city: p.city,
      country: p.country,
      usageLocation: p.usageLocation,
      employeeId: p.employeeId,
      companyName: 'Contoso',
      passwordProfile: { forceChangePasswordNextSignIn: false, password: pw },
    });
    users.push({ id: user.id, userPrincipalName: upn, password: pw });
    byDepartment.set(p.department, [...(byDepartment.get(p.department) ?? []), user.id]);
  }
  for (const g of GROUPS) {
    const group = await createGroup(scope, { displayName: g.name, mailEnabled: false, mailNickname: g.nickname, securityEnabled: true, description: `${g.name} team` });
    for (const d of g.departments) {
      for (const id of byDepartment.get(d) ?? []) await addReference(scope, group.id, 'members', { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
    }
  }
  return users;
}
