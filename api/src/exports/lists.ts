/** The owner's lists as Excel tables: customers and products ("Excel export of my customers / products"). */
import type { Db } from "../db/connection.js";
import type { CustomerRow, ProductRow } from "../db/rows.js";
import type { ExportBody } from "./stream.js";
import { writeTableSheet, xlsxBody, type TableColumn } from "./xlsx.js";

const CUSTOMER_COLUMNS: TableColumn<CustomerRow>[] = [
  { header: "Code client", width: 12, kind: "text", value: (c) => c.code },
  { header: "Nom", width: 32, kind: "text", value: (c) => c.name },
  { header: "SIREN", width: 12, kind: "text", value: (c) => c.siren },
  { header: "N° TVA", width: 17, kind: "text", value: (c) => c.vat_number },
  { header: "E-mail", width: 28, kind: "text", value: (c) => c.email },
  { header: "Adresse", width: 36, kind: "text", value: (c) => [c.address_line1, c.address_line2].filter(Boolean).join(", ") },
  { header: "Code postal", width: 11, kind: "text", value: (c) => c.postal_code },
  { header: "Ville", width: 20, kind: "text", value: (c) => c.city },
  { header: "Pays", width: 6, kind: "text", value: (c) => c.country },
  { header: "Catégorie", width: 18, kind: "text", value: (c) => c.category },
  { header: "Créé le", width: 11, kind: "date", value: (c) => c.created_at.slice(0, 10) },
];

const PRODUCT_COLUMNS: TableColumn<ProductRow>[] = [
  { header: "Désignation", width: 32, kind: "text", value: (p) => p.name },
  { header: "Description", width: 40, kind: "text", value: (p) => p.description },
  { header: "Prix unitaire HT", width: 16, kind: "euro", value: (p) => p.unit_price_cents },
  { header: "Taux de TVA", width: 11, kind: "rate", value: (p) => p.vat_rate_bp },
  { header: "Nature", width: 10, kind: "text", value: (p) => (p.kind === "goods" ? "Bien" : "Service") },
  { header: "Catégorie", width: 18, kind: "text", value: (p) => p.category },
  { header: "Créé le", width: 11, kind: "date", value: (p) => p.created_at.slice(0, 10) },
];

export interface ListFilter {
  category?: string | undefined;
  q?: string | undefined;
}

const like = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

export function customersXlsx(db: Db, companyId: string, filter: ListFilter, createdAt: Date): ExportBody {
  return xlsxBody(
    async (x) => {
      const rows = db
        .prepare(
          `SELECT * FROM customers WHERE company_id = @companyId
           ${filter.category ? "AND category = @category" : ""}
           ${filter.q ? "AND (name LIKE @q ESCAPE '\\' OR code LIKE @q ESCAPE '\\')" : ""} ORDER BY code`,
        )
        .all({ companyId, category: filter.category, q: filter.q ? like(filter.q) : undefined }) as CustomerRow[];
      const written = await writeTableSheet(x, { sheetName: "Clients", tableName: "Clients", columns: CUSTOMER_COLUMNS, rows });
      return { rows: written };
    },
    { title: "Clients", createdAt },
  );
}

export function productsXlsx(db: Db, companyId: string, filter: ListFilter, createdAt: Date): ExportBody {
  return xlsxBody(
    async (x) => {
      const rows = db
        .prepare(
          `SELECT * FROM products WHERE company_id = @companyId
           ${filter.category ? "AND category = @category" : ""} ${filter.q ? "AND name LIKE @q ESCAPE '\\'" : ""} ORDER BY name, pk`,
        )
        .all({ companyId, category: filter.category, q: filter.q ? like(filter.q) : undefined }) as ProductRow[];
      const written = await writeTableSheet(x, { sheetName: "Produits et services", tableName: "Produits", columns: PRODUCT_COLUMNS, rows });
      return { rows: written };
    },
    { title: "Produits et services", createdAt },
  );
}
