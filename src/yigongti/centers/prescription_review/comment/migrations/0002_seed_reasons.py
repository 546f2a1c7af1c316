"""Seed the 15/9/4 不合理处方 categories of 《医院处方点评管理规范（试行）》 (china-standards.md §5) as
built-in reason templates. The rows are copied here (migrations never import app code); a test keeps
them equal to ``standards.REASONS``."""

from django.db import migrations

ARTICLES = {"irregular": "第十七条", "inappropriate": "第十八条", "excessive": "第十九条"}
STANDARD = "《医院处方点评管理规范（试行）》"
REASONS = (
    ('1-1', 'irregular', '处方的前记、正文、后记内容缺项，书写不规范或者字迹难以辨认的'),
    ('1-2', 'irregular', '医师签名、签章不规范或者与签名、签章的留样不一致的'),
    ('1-3', 'irregular', '药师未对处方进行适宜性审核的（处方后记的审核、调配、核对、发药栏目无审核调配药师及核对发药药师签名，或者单人值班调剂未执行双签名规定）'),
    ('1-4', 'irregular', '新生儿、婴幼儿处方未写明日、月龄的'),
    ('1-5', 'irregular', '西药、中成药与中药饮片未分别开具处方的'),
    ('1-6', 'irregular', '未使用药品规范名称开具处方的'),
    ('1-7', 'irregular', '药品的剂量、规格、数量、单位等书写不规范或不清楚的'),
    ('1-8', 'irregular', '用法、用量使用“遵医嘱”、“自用”等含糊不清字句的'),
    ('1-9', 'irregular', '处方修改未签名并注明修改日期，或药品超剂量使用未注明原因和再次签名的'),
    ('1-10', 'irregular', '开具处方未写临床诊断或临床诊断书写不全的'),
    ('1-11', 'irregular', '单张门急诊处方超过五种药品的'),
    ('1-12', 'irregular', '无特殊情况下，门诊处方超过7日用量，急诊处方超过3日用量，慢性病、老年病或特殊情况下需要适当延长处方用量未注明理由的'),
    ('1-13', 'irregular', '开具麻醉药品、精神药品、医疗用毒性药品、放射性药品等特殊管理药品处方未执行国家有关规定的'),
    ('1-14', 'irregular', '医师未按照抗菌药物临床应用管理规定开具抗菌药物处方的'),
    ('1-15', 'irregular', '中药饮片处方药物未按照“君、臣、佐、使”的顺序排列，或未按要求标注药物调剂、煎煮等特殊要求的'),
    ('2-1', 'inappropriate', '适应证不适宜的'),
    ('2-2', 'inappropriate', '遴选的药品不适宜的'),
    ('2-3', 'inappropriate', '药品剂型或给药途径不适宜的'),
    ('2-4', 'inappropriate', '无正当理由不首选国家基本药物的'),
    ('2-5', 'inappropriate', '用法、用量不适宜的'),
    ('2-6', 'inappropriate', '联合用药不适宜的'),
    ('2-7', 'inappropriate', '重复给药的'),
    ('2-8', 'inappropriate', '有配伍禁忌或者不良相互作用的'),
    ('2-9', 'inappropriate', '其它用药不适宜情况的'),
    ('3-1', 'excessive', '无适应证用药'),
    ('3-2', 'excessive', '无正当理由开具高价药的'),
    ('3-3', 'excessive', '无正当理由超说明书用药的'),
    ('3-4', 'excessive', '无正当理由为同一患者同时开具2种以上药理作用相同药物的'),
)


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    ReasonTemplate = apps.get_model("rx_comment", "ReasonTemplate")
    for order, (code, category, text) in enumerate(REASONS, start=1):
        ReasonTemplate.objects.update_or_create(
            institution=None,
            code=code,
            defaults={
                "category": category,
                "text": text,
                "source": f"{STANDARD}{ARTICLES[category]} {code}",
                "order": order,
                "is_builtin": True,
            },
        )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("rx_comment", "ReasonTemplate").objects.filter(is_builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("rx_comment", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
