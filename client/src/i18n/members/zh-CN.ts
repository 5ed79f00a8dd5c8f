// 成员管理页的简体中文目录（issue 10）：与 members/en.ts 键完全相同，随成员页的代码块加载。
import type { MembersCatalog } from "./en.ts";

export const membersZhCN: MembersCatalog = {
  title: "成员管理",
  lede: "已准入的联盟成员、其角色及准入（KYC）到期日，以成员登记合约的记录为准。",
  forbidden: "成员名单仅供联盟运营方和审计方查看。",
  onlyOperator: "仅联盟运营方和审计方可查看成员名单。",
  invalidAddress: "请输入有效的 0x 地址。",
  admitTitle: "准入或更新成员",
  address: "地址",
  roles: "角色",
  expires: "准入到期日",
  admit: "准入成员",
  admitting: "正在准入…",
  admitted: "已准入 {{address}}，角色：{{roles}}。",
  roleSeparator: "、",
  tableLabel: "联盟成员",
  col: {
    member: "成员",
    company: "企业（链下档案）",
    roles: "角色",
    expires: "准入到期日",
    state: "状态",
    actions: "操作",
  },
  noProfile: "无档案",
  noRoles: "无",
  active: "正常",
  suspendedState: "已暂停",
  expired: "已过期",
  reinstate: "恢复",
  reinstating: "正在恢复…",
  reinstated: "已恢复 {{address}}。",
  suspend: "暂停",
  suspending: "正在暂停…",
  suspended: "已暂停 {{address}}。",
  suspendTitle: "暂停 {{name}}？",
  suspendBody_one:
    "暂停 {{who}}（成员地址 {{address}}，角色：{{roles}}）后，其在账本上的操作立即停止：不能再登记、确权、支付、转让应收账款或为其融资，其已签署的报价也不能再被接受。",
  suspendBody_other:
    "暂停 {{who}}（成员地址 {{address}}，角色：{{roles}}）后，其在账本上的操作立即停止：不能再登记、确权、支付、转让应收账款或为其融资，其已签署的报价也不能再被接受。",
  suspendStays: "其应收账款保持不变。在您恢复之前，该成员一直处于暂停状态。",
};
