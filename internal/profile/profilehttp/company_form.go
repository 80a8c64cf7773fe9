package profilehttp

import (
	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// renderCompanyForm shows the form of co: filled with it, or, after err,
// with what was posted and the errors. The form carries the version it
// saves from; when someone else saved the company since the form was
// opened (tsunagu.Stale), it also shows their version where it differs,
// and saves from that version next.
func (h *Handlers) renderCompanyForm(c *gin.Context, co *tsunagu.Company, action string, err error) {
	data := gin.H{"Action": action, "ID": co.ID, "Version": co.Version, "Vocab": vocab()}
	if tsunagu.IsStale(err) {
		current, ferr := h.Companies.FindCompanyByID(c.Request.Context(), co.ID)
		if ferr != nil {
			h.s.Fail(c, ferr)
			return
		}
		data["Version"] = current.Version
		data["Conflict"] = conflictRows(thttp.FormFields(co), thttp.FormFields(current), companyLabels)
	}
	if err != nil {
		h.s.RenderForm(c, "company/edit", data, err)
		return
	}
	h.s.RenderFilled(c, "company/edit", data, thttp.FormFields(co))
}

// companyLabels names the fields of the company form, in its order.
var companyLabels = []fieldLabel{
	{"name", "company.field.name"}, {"industry", "company.field.industry"}, {"size", "company.field.size"},
	{"prefecture", "company.field.prefecture"}, {"contact_name", "company.field.contact_name"},
	{"contact_email", "company.field.contact_email"}, {"contact_phone", "company.field.contact_phone"},
}
