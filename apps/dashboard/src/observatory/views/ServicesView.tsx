export default function ServicesView() {
  return <p>À venir</p>;
}
